import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import { GraphQLClient } from '../bench/client';
import { connect, waitForQuiet } from '../bench/database';
import {
  benchDatabase, ChildService, cleanRedis, createDatabase, dropDatabase, entryPoints, freePort, redisUrl, startChild, stopChild, waitForReady,
} from '../bench/environment';
import { distribution, roundDistribution, seededRandom, sleep } from '../bench/stats';

/**
 * Latency of `deliveryOptions` for a 5-line cart against a real API process (and a worker, which allocates the
 * seeded orders so the snapshot holds open backorders), at a fixed arrival rate: requests are sent on a schedule
 * whatever the answers do (open loop), and each latency is measured from its scheduled time, so a stalled server
 * cannot hide its queue. On a database `oms_bench_<timestamp>` of its own, removed afterwards.
 *
 *   npm run bench:options -- [--rate 200] [--seconds 10] [--lines 5] [--target-p99 10]   (BENCH_KEEP=1 keeps the database,
 *   BENCH_CPU_PROF=<dir> profiles the API)
 */

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
if (args.includes('--help')) {
  console.log('npm run bench:options -- [--rate 200] [--seconds 10] [--lines 5] [--target-p99 10]');
  process.exit(0);
}
const RATE = option('rate', 200);
const SECONDS = option('seconds', 10);
const LINES = option('lines', 5);
const TARGET_P99_MS = option('target-p99', 10);
const WARMUP_SECONDS = 2;
const SKUS = Array.from({ length: 20 }, (_, i) => `BO-${String(i + 1).padStart(2, '0')}`);
const log = (message: string) => console.error(`[bench:options] ${message}`);

const OPTIONS = `query($input: DeliveryOptionsInput!) { deliveryOptions(input: $input) {
  fulfilmentPolicy deliverable eta summary deliveries { eta quantity } parcels { kind warehouseCode supplier eta quantity lines { sku quantity } reason } } }`;

async function seed(client: GraphQLClient, random: () => number): Promise<void> {
  await client.gql(`mutation {
    a: upsertWarehouse(input: { code: "HUB", name: "Hub", region: "EU", shippingLanes: [{ region: "EU", days: 1, cost: 4 }] }) { id }
    b: upsertWarehouse(input: { code: "NEAR", name: "Near", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 3 }] }) { id } }`);
  await client.gql(`mutation { upsertWarehouse(input: { code: "FAR", name: "Far", region: "US", shippingLanes: [{ region: "EU", days: 6, cost: 9 }],
    transferLanes: [{ toWarehouseCode: "HUB", days: 2, cost: 1 }] }) { id } }`);
  for (const [i, sku] of SKUS.entries()) {
    const dropShip = i % 5 === 0;
    await client.gql(`mutation($i: ProductInput!) { upsertProduct(input: $i) { sku } }`, {
      i: { sku, name: sku, leadTimeDays: 7 + (i % 10), supplier: dropShip ? 'DirectCo' : 'Acme', dropShip, reorderPoint: 0, reorderQuantity: 20 },
    });
    for (const warehouseCode of ['HUB', 'NEAR', 'FAR']) {
      const delta = Math.floor(random() * 12);
      if (delta > 0) await client.gql(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, { i: { sku, warehouseCode, delta, reason: 'bench' } });
    }
    if (i % 2 === 0) {
      await client.gql(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id } }`, {
        i: { supplier: 'Acme', warehouseCode: 'HUB', expectedAt: new Date(Date.now() + (3 + (i % 7)) * 86_400_000).toISOString(), lines: [{ sku, quantity: 10 }] },
      });
    }
  }
  // Open demand that goes before every cart: 60 orders, many of them backordered.
  for (let n = 0; n < 60; n++) {
    await client.gql(`mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }`, {
      i: {
        idempotencyKey: `bench-options-${n}`, customerId: `c-${n % 13}`, channel: 'web', currency: 'EUR', shipToRegion: 'EU',
        lines: [0, 1].map(() => ({ sku: SKUS[Math.floor(random() * SKUS.length)], quantity: 1 + Math.floor(random() * 6), unitPrice: 1 })),
      },
    });
  }
}

/** Sends `seconds × rate` requests on a fixed schedule; latencies in ms from each scheduled send time. */
async function load(
  client: GraphQLClient,
  bodies: string[],
  rate: number,
  seconds: number,
): Promise<{ latencies: number[]; errors: string[]; answeredPerSecond: number }> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const errors: string[] = [];
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(
      client.post(bodies[i % bodies.length]).then(({ status, text }) => {
        latencies.push(performance.now() - due);
        if (status !== 200 || text.includes('"errors"')) errors.push(`HTTP ${status}: ${text.slice(0, 200)}`);
      }, (error: Error) => {
        errors.push(error.message);
      }),
    );
  }
  await Promise.all(inFlight);
  // What the server kept up with: answers over the time until the last one (below the rate when it queued).
  return { latencies, errors, answeredPerSecond: Math.round((latencies.length / (performance.now() - start)) * 1000) };
}

async function main(): Promise<void> {
  const stamp = Date.now();
  const database = benchDatabase(undefined, stamp);
  const redisPrefix = `omsbenchopt_${stamp}`;
  const authSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const entries = entryPoints(false);
  const children: ChildService[] = [];
  let created = false;
  const teardown = async () => {
    for (const child of children) await stopChild(child);
    if (created && !process.env.BENCH_KEEP) await dropDatabase(database);
    await cleanRedis(redisPrefix);
  };
  // SIGTERM too (`timeout`, a CI runner): otherwise the API and worker it started outlive it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void teardown().finally(() => process.exit(130)));
  process.once('exit', () => {
    for (const child of children) if (!child.done) child.process.kill('SIGKILL');
  });
  try {
    log(`database ${database.name}, Redis prefix ${redisPrefix}`);
    await createDatabase(database);
    created = true;
    const env = {
      ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: database.url, REDIS_URL: redisUrl(), REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn', AUTH_SECRET: authSecret,
    };
    // BENCH_CPU_PROF=<dir>: the API writes a CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, '--cpu-prof-name=api.cpuprofile'] : [];
    const api = startChild('api', entries.api, [...entries.nodeArgs, ...profile], env);
    children.push(api, startChild('worker', entries.worker, entries.nodeArgs, env));
    await waitForReady(`http://127.0.0.1:${port}`, api);
    const url = `http://127.0.0.1:${port}/graphql`;
    const random = seededRandom(42);
    const admin = new GraphQLClient(url, await signToken({ role: Role.ADMIN, subject: 'bench' }, { authSecret }, { ttlSeconds: 3600 }), 4);
    log('seeding: 3 warehouses, 20 products, stock, purchase orders, 60 open orders');
    await seed(admin, random);
    const progress = await connect(database.url, 'bench-options');
    await waitForQuiet(progress, 'allocating the seeded orders');
    const [{ backorders }] = (await progress.query(`select count(*)::int as backorders from order_line where backordered_quantity > 0`)).rows;
    await progress.end();
    admin.agent.destroy();

    const carts = Array.from({ length: 200 }, () => {
      const skus = [...SKUS].sort(() => random() - 0.5).slice(0, LINES);
      return JSON.stringify({ query: OPTIONS, variables: { input: { region: 'EU', lines: skus.map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 8) })) } } });
    });
    const storefront = new GraphQLClient(url, await signToken({ role: Role.STOREFRONT, subject: 'bench' }, { authSecret }, { ttlSeconds: 3600 }), 64);
    log(`${backorders} backordered lines in the snapshot; warming up for ${WARMUP_SECONDS} s`);
    await load(storefront, carts, RATE, WARMUP_SECONDS);
    log(`measuring: ${RATE} requests/s for ${SECONDS} s, ${LINES}-line carts`);
    const { latencies, errors, answeredPerSecond } = await load(storefront, carts, RATE, SECONDS);
    storefront.agent.destroy();
    const d = roundDistribution(distribution(latencies), 2)!;
    const met = d.p99 <= TARGET_P99_MS;
    console.log(JSON.stringify({ query: 'deliveryOptions', lines: LINES, rate: RATE, seconds: SECONDS, requests: d.count, errors: errors.length, answeredPerSecond, latencyMs: d, targetP99Ms: TARGET_P99_MS, met }, null, 2));
    console.log(`deliveryOptions, ${LINES}-line cart, ${RATE} req/s for ${SECONDS} s: p50 ${d.p50} ms, p99 ${d.p99} ms, ${answeredPerSecond} answers/s (target p99 <= ${TARGET_P99_MS} ms: ${met ? 'met' : 'NOT met'})`);
    if (errors.length > 0) log(`first error: ${errors[0]}`);
    process.exitCode = errors.length > 0 ? 1 : 0;
  } finally {
    await teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
