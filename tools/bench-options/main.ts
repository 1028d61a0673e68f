import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Role } from '../../src/auth/roles';
import { signToken } from '../../src/auth/token';
import { GraphQLClient } from '../bench/client';
import { connect, waitForQuiet } from '../bench/database';
import {
  benchDatabase,
  ChildService,
  cleanRedis,
  createDatabase,
  dropDatabase,
  entryPoints,
  freePort,
  redisUrl,
  startChild,
  stopChild,
  waitForReady,
} from '../bench/environment';
import { seededRandom } from '../bench/stats';
import { oneAtATime, openLoop, percentiles, withCpu } from './measure';

/**
 * Latency and CPU cost of the storefront's reads against a real API process (and a worker, which allocates the
 * seeded orders so the snapshot holds open backorders): `deliveryOptions` for a cart, `availability` of one SKU,
 * `availabilities` of a catalogue page. Each query runs one at a time first (its latency on its own), then at each
 * fixed arrival rate (open loop: requests are sent on a schedule whatever the answers do, and each latency counts
 * from its scheduled time, so a stalled server cannot hide its queue). CPU per answered request of the API, the
 * database and this client is read from /proc: on a shared machine it is the figure to trust, latency is not.
 * On a database `oms_bench_<timestamp>` of its own, removed afterwards.
 *
 *   npm run bench:options -- [--queries deliveryOptions,availability,availabilities] [--rates 200,500] [--seconds 10]
 *                            [--lines 5] [--items 20] [--one-at-a-time 300] [--target-p99 10] [--compiled]
 *   (--compiled runs dist/ as `npm start` does, after `npm run build`; without it the TypeScript sources, whose
 *   transpiler doubles the API's heap and makes each young-generation collection about three times longer)
 *   (BENCH_KEEP=1 keeps the database, BENCH_CPU_PROF=<dir> profiles the API)
 */

const args = process.argv.slice(2);
const given = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const option = (name: string, fallback: number, min = 1) => {
  const value = given(name) === undefined ? fallback : Number(given(name));
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}`);
  return value;
};
const USAGE =
  'npm run bench:options -- [--queries deliveryOptions,availability,availabilities] [--rates 200,500] [--seconds 10] [--lines 5] [--items 20] [--one-at-a-time 300] [--target-p99 10] [--compiled]';
if (args.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const QUERY_NAMES = ['deliveryOptions', 'availability', 'availabilities'] as const;
type QueryName = (typeof QUERY_NAMES)[number];
const QUERIES = (given('queries') ?? 'deliveryOptions').split(',').map((q) => q.trim()) as QueryName[];
for (const q of QUERIES) if (!QUERY_NAMES.includes(q)) throw new Error(`--queries: ${q} is not one of ${QUERY_NAMES.join(', ')}`);
const RATES = (given('rates') ?? given('rate') ?? '200').split(',').map(Number);
if (RATES.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error('--rates must be positive numbers');
const SECONDS = option('seconds', 10);
const LINES = option('lines', 5);
const ITEMS = option('items', 20);
const ONE_AT_A_TIME = option('one-at-a-time', 300, 0);
const TARGET_P99_MS = option('target-p99', 10);
const WARMUP_SECONDS = 2;
const SKUS = Array.from({ length: 20 }, (_, i) => `BO-${String(i + 1).padStart(2, '0')}`);
const log = (message: string) => console.error(`[bench:options] ${message}`);

const DOCUMENTS: Record<QueryName, string> = {
  deliveryOptions: `query($input: DeliveryOptionsInput!) { deliveryOptions(input: $input) {
    fulfilmentPolicy deliverable eta summary deliveries { eta quantity } parcels { kind warehouseCode supplier eta quantity lines { sku quantity } reason } } }`,
  availability: `query($sku: String!, $quantity: Int!) { availability(sku: $sku, quantity: $quantity, region: "EU") {
    sku availableNow eta deliverable tranches { kind warehouseCode eta quantity } perWarehouse { warehouseCode available eta } } }`,
  availabilities: `query($items: [AvailabilityItemInput!]!) { availabilities(items: $items, region: "EU") { sku availableNow eta deliverable } }`,
};

/** 200 request bodies per query, from one seed, so two runs send the same requests. */
function bodiesFor(query: QueryName, random: () => number): string[] {
  const pick = (n: number) => [...SKUS].sort(() => random() - 0.5).slice(0, Math.min(n, SKUS.length));
  const quantity = () => 1 + Math.floor(random() * 8);
  return Array.from({ length: 200 }, () => {
    const variables =
      query === 'deliveryOptions'
        ? { input: { region: 'EU', lines: pick(LINES).map((sku) => ({ sku, quantity: quantity() })) } }
        : query === 'availability'
          ? { sku: pick(1)[0], quantity: quantity() }
          : { items: Array.from({ length: ITEMS }, (_, i) => ({ sku: SKUS[i % SKUS.length], quantity: quantity() })) };
    return JSON.stringify({ query: DOCUMENTS[query], variables });
  });
}

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
      if (delta > 0)
        await client.gql(`mutation($i: StockAdjustmentInput!) { adjustStock(input: $i) { onHand } }`, {
          i: { sku, warehouseCode, delta, reason: 'bench' },
        });
    }
    if (i % 2 === 0) {
      await client.gql(`mutation($i: PurchaseOrderInput!) { createPurchaseOrder(input: $i) { id } }`, {
        i: {
          supplier: 'Acme',
          warehouseCode: 'HUB',
          expectedAt: new Date(Date.now() + (3 + (i % 7)) * 86_400_000).toISOString(),
          lines: [{ sku, quantity: 10 }],
        },
      });
    }
  }
  // Open demand that goes before every cart: 60 orders, many of them backordered.
  for (let n = 0; n < 60; n++) {
    await client.gql(`mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }`, {
      i: {
        idempotencyKey: `bench-options-${n}`,
        customerId: `c-${n % 13}`,
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [0, 1].map(() => ({ sku: SKUS[Math.floor(random() * SKUS.length)], quantity: 1 + Math.floor(random() * 6), unitPrice: 1 })),
      },
    });
  }
}

async function main(): Promise<void> {
  const stamp = Date.now();
  const database = benchDatabase(undefined, stamp);
  const redisPrefix = `omsbenchopt_${stamp}`;
  const authSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const entries = entryPoints(args.includes('--compiled'));
  if (entries.warning) log(entries.warning);
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
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
      AUTH_SECRET: authSecret,
    };
    // BENCH_CPU_PROF=<dir>: the API writes a CPU profile there when it stops.
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, '--cpu-prof-name=api.cpuprofile']
      : [];
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

    const storefront = new GraphQLClient(
      url,
      await signToken({ role: Role.STOREFRONT, subject: 'bench' }, { authSecret }, { ttlSeconds: 3600 }),
      256,
    );
    const db = await connect(database.url, 'bench-options-cpu');
    const benchPids = new Set<number>([(await db.query('select pg_backend_pid() as pid')).rows[0].pid]);
    const pids = { api: api.process.pid, worker: children[1].process.pid };
    log(`${backorders} backordered lines in the snapshot`);
    const results: any[] = [];
    for (const query of QUERIES) {
      const bodies = bodiesFor(query, random);
      log(`${query}: warming up for ${WARMUP_SECONDS} s`);
      await openLoop(storefront, bodies, Math.min(...RATES), WARMUP_SECONDS);
      const phases: Array<{ rate: number | null; run: () => Promise<any> }> = [
        ...(ONE_AT_A_TIME > 0 ? [{ rate: null, run: () => oneAtATime(storefront, bodies, ONE_AT_A_TIME) }] : []),
        ...RATES.map((rate) => ({ rate, run: () => openLoop(storefront, bodies, rate, SECONDS) })),
      ];
      for (const phase of phases) {
        log(`${query}: ${phase.rate === null ? `${ONE_AT_A_TIME} requests one at a time` : `${phase.rate} requests/s for ${SECONDS} s`}`);
        const { latencies, errors, answeredPerSecond, cpuMsPerRequest, machineBusyPercent } = await withCpu(db, benchPids, pids, phase.run);
        const latencyMs = percentiles(latencies)!;
        results.push({
          query,
          shape: query === 'deliveryOptions' ? `${LINES} lines` : query === 'availabilities' ? `${ITEMS} SKUs` : '1 SKU',
          rate: phase.rate ?? 'one at a time',
          requests: latencies.length,
          errors: errors.length,
          answeredPerSecond,
          latencyMs,
          cpuMsPerRequest,
          machineBusyPercent,
          met: phase.rate === null ? null : latencyMs.p99 <= TARGET_P99_MS && errors.length === 0,
        });
        if (errors.length > 0) log(`first error: ${errors[0]}`);
      }
    }
    await db.end();
    storefront.agent.destroy();
    console.log(JSON.stringify({ targetP99Ms: TARGET_P99_MS, results }, null, 2));
    console.log(
      'query            shape      rate         answered/s  p50 ms   p95 ms   p99 ms   CPU ms/request: api  postgres  machine busy  target',
    );
    for (const r of results) {
      console.log(
        [
          r.query.padEnd(16),
          r.shape.padEnd(10),
          String(r.rate).padEnd(12),
          String(r.answeredPerSecond).padStart(10),
          String(r.latencyMs.p50).padStart(8),
          String(r.latencyMs.p95).padStart(8),
          String(r.latencyMs.p99).padStart(8),
          String(r.cpuMsPerRequest.api).padStart(21),
          String(r.cpuMsPerRequest.postgres).padStart(9),
          `${r.machineBusyPercent ?? '?'}%`.padStart(13),
          r.met === null ? '' : r.met ? `  p99 <= ${TARGET_P99_MS} ms: met` : `  p99 <= ${TARGET_P99_MS} ms: NOT met`,
        ].join(' '),
      );
    }
    process.exitCode = results.some((r) => r.errors > 0) ? 1 : 0;
  } finally {
    await teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
