import type { Client } from 'pg';
import { GraphQLClient } from './client';
import { closedLoop } from './load';
import { PhaseContext, ThroughputFigures, throughputPhase } from './phases';
import { Distribution, distribution, roundDistribution, sleep } from './stats';
import { PRODUCT_COUNT, REGIONS, SUPPLIER, WAREHOUSES, orderBodies, skuOf } from './workload';
import { RECEIPT_LINES_PER_ORDER } from './suite';
import { waitForQuiet } from './database';
import { openLoop } from '../bench-options/measure';

/**
 * The rows of issue #11 beyond raw throughput: many buyers for one scarce SKU, one goods receipt serving many
 * waiting backorder lines, and availability reads at a fixed rate. Each sets up its own products over GraphQL, so
 * it can run alone (`--only hot`) on the seeded world.
 */

const UPSERT_PRODUCT = `mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }`;
const ADJUST_STOCK = `mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`;

export interface HotSkuFigures {
  buyers: number;
  units: number;
  /** Orders decided (allocated or backordered) per second, end to end. */
  allocationsPerSecond: number;
  allocatedUnits: number;
  backorderedUnits: number;
  reservedUnits: number;
  throughput: ThroughputFigures;
}

export const HOT_SKU = 'BENCH-HOT';

/** `buyers` orders of one unit each for one SKU with `units` on hand in one warehouse; exactly `units` may be allocated. */
export async function hotSkuPhase(
  ctx: PhaseContext,
  setup: GraphQLClient,
  load: GraphQLClient,
  buyers: number,
  units: number,
  concurrency: number,
  maxSeconds: number,
  seed: number,
): Promise<HotSkuFigures> {
  await setup.gql(UPSERT_PRODUCT, {
    input: { sku: HOT_SKU, name: 'Bench hot SKU', leadTimeDays: 14, supplier: SUPPLIER, reorderPoint: 0, reorderQuantity: 0 },
  });
  await setup.gql(ADJUST_STOCK, { input: { sku: HOT_SKU, warehouseCode: WAREHOUSES[0].code, delta: units, reason: 'bench: hot SKU' } });
  await waitForQuiet(ctx.db.progress, 'stocking the hot SKU', ctx.stallMs, ctx.assertAlive);
  const prefix = 'bench-hot-';
  const bodies = orderBodies(buyers, seed, prefix, () => [{ sku: HOT_SKU, quantity: 1 }]);
  const throughput = await throughputPhase(ctx, load, bodies, concurrency, maxSeconds, prefix);
  const { rows } = await ctx.db.progress.query(
    `select coalesce(sum(l.allocated_quantity), 0)::int as allocated, coalesce(sum(l.backordered_quantity), 0)::int as backordered,
            (select coalesce(sum(reserved_quantity), 0)::int from stock_level where sku = $2) as reserved
     from order_line l join sales_order o on o.id = l.order_id where o.idempotency_key like $1 and l.sku = $2`,
    [`${prefix}%`, HOT_SKU],
  );
  return {
    buyers,
    units,
    allocationsPerSecond: throughput.allocatedPerSecond,
    allocatedUnits: rows[0].allocated,
    backorderedUnits: rows[0].backordered,
    reservedUnits: rows[0].reserved,
    throughput,
  };
}

export interface ReceiptFigures {
  /** Backorder lines waiting on the purchase order when it was received. */
  waitingLines: number;
  /** From sending receivePurchaseOrder until a 20 ms poll saw no waiting line left. */
  seconds: number;
  /** The receipt mutation's own answer time. */
  receiptHttpMs: number;
  linesLeftWaiting: number;
}

const RECEIPT_SKUS = Array.from({ length: RECEIPT_LINES_PER_ORDER }, (_, i) => `BENCH-RCV-${i}`);

/**
 * `lines` backorder lines (orders of RECEIPT_LINES_PER_ORDER SKUs with no stock, all waiting on one open purchase
 * order), then one goods receipt of everything: how long until the last line is allocated.
 */
export async function receiptPhase(
  ctx: PhaseContext,
  setup: GraphQLClient,
  load: GraphQLClient,
  lines: number,
  concurrency: number,
  maxSeconds: number,
  seed: number,
): Promise<ReceiptFigures> {
  const orders = Math.max(1, Math.ceil(lines / RECEIPT_SKUS.length));
  for (const sku of RECEIPT_SKUS) {
    await setup.gql(UPSERT_PRODUCT, {
      input: { sku, name: `Bench receipt ${sku}`, leadTimeDays: 14, supplier: SUPPLIER, reorderPoint: 0, reorderQuantity: 0 },
    });
  }
  const po = await setup.gql(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id } }`, {
    input: {
      supplier: SUPPLIER,
      warehouseCode: WAREHOUSES[0].code,
      expectedAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      lines: RECEIPT_SKUS.map((sku) => ({ sku, quantity: orders })),
    },
  });
  await waitForQuiet(ctx.db.progress, 'opening the purchase order', ctx.stallMs, ctx.assertAlive);
  const prefix = 'bench-rcv-';
  ctx.log(`  placing ${orders} orders of ${RECEIPT_SKUS.length} backordered lines each`);
  const sent = await closedLoop(
    load,
    orderBodies(orders, seed, prefix, () => RECEIPT_SKUS.map((sku) => ({ sku, quantity: 1 }))),
    concurrency,
    maxSeconds * 1000,
  );
  ctx.acknowledge(prefix, sent.ids);
  await waitForQuiet(ctx.db.progress, 'backordering the receipt orders', ctx.stallMs, ctx.assertAlive);
  const waiting = () => waitingLines(ctx.db.progress, prefix);
  const waitingLinesAtReceipt = await waiting();
  ctx.log(`  ${waitingLinesAtReceipt} lines waiting; receiving the purchase order`);
  const start = performance.now();
  await setup.gql(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { id } }`, {
    input: { purchaseOrderId: po.createPurchaseOrder.id, lines: RECEIPT_SKUS.map((sku) => ({ sku, quantity: orders })) },
  });
  const receiptHttpMs = performance.now() - start;
  let left = await waiting();
  let lastLeft = left;
  let lastChange = performance.now();
  while (left > 0) {
    ctx.assertAlive();
    await sleep(20);
    left = await waiting();
    if (left !== lastLeft) ((lastLeft = left), (lastChange = performance.now()));
    else if (performance.now() - lastChange > ctx.stallMs) break;
  }
  const seconds = (performance.now() - start) / 1000;
  await waitForQuiet(ctx.db.progress, 'settling after the receipt', ctx.stallMs, ctx.assertAlive);
  return {
    waitingLines: waitingLinesAtReceipt,
    seconds: Math.round(seconds * 1000) / 1000,
    receiptHttpMs: Math.round(receiptHttpMs),
    linesLeftWaiting: left,
  };
}

async function waitingLines(db: Client, prefix: string): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from order_line l join sales_order o on o.id = l.order_id where o.idempotency_key like $1 and l.backordered_quantity > 0`,
    [`${prefix}%`],
  );
  return rows[0].n;
}

export interface ReadFigures {
  query: string;
  rate: number;
  seconds: number;
  requests: number;
  errors: number;
  firstError: string | null;
  answeredPerSecond: number;
  /** From each request's scheduled send time, so a server that queues cannot hide it. */
  latencyMs: Distribution | null;
}

/** `rate × seconds` prepared requests (at least one) on tools/bench-options' open loop; latencies from the scheduled times. */
export async function openLoopReads(client: GraphQLClient, bodies: string[], rate: number, seconds: number, query: string): Promise<ReadFigures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const { latencies, errors, answeredPerSecond } = await openLoop(client, bodies, rate, total / rate);
  return {
    query,
    rate,
    seconds,
    requests: total,
    errors: errors.length,
    firstError: errors[0] ?? null,
    answeredPerSecond,
    latencyMs: roundDistribution(distribution(latencies), 2),
  };
}

/** `availability(sku, quantity, region)` for a random one of the 200 products, as a storefront asks it. */
export function availabilityBodies(count: number, random: () => number): string[] {
  const query = `query($sku: String!, $quantity: Int!, $region: String) { availability(sku: $sku, quantity: $quantity, region: $region) {
    sku quantity availableNow eta perWarehouse { warehouseCode available eta } } }`;
  return Array.from({ length: count }, () =>
    JSON.stringify({
      query,
      variables: {
        sku: skuOf(Math.floor(random() * PRODUCT_COUNT)),
        quantity: 1 + Math.floor(random() * 5),
        region: REGIONS[Math.floor(random() * REGIONS.length)],
      },
    }),
  );
}
