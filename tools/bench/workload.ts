import type { GraphQLClient } from './client';
import { seededRandom } from './stats';

/**
 * The benchmark's world and its orders. Three warehouses ship to two regions at different speeds and move stock
 * between each other; 200 products with plenty of stock (half of them missing from one warehouse, so the planner
 * has to choose, split or transfer). Orders come from a seeded PRNG, so every run with the same seed sends the same
 * orders. The hot-SKU and goods-receipt phases add products of their own (see scenarios.ts).
 */

export const REGIONS = ['NORTH', 'SOUTH'] as const;
export const WAREHOUSES = [
  { code: 'BENCH-N', name: 'Bench North', region: 'NORTH', lanes: { NORTH: [1, 4], SOUTH: [3, 7] } },
  { code: 'BENCH-S', name: 'Bench South', region: 'SOUTH', lanes: { NORTH: [3, 7], SOUTH: [1, 4] } },
  { code: 'BENCH-C', name: 'Bench Central', region: 'NORTH', lanes: { NORTH: [2, 5], SOUTH: [2, 5] } },
] as const;
export const PRODUCT_COUNT = 200;
const PLENTY = 20_000;
const CUSTOMERS = 500;
export const SUPPLIER = 'Bench Supplies';

export const skuOf = (i: number) => `BENCH-${String(i).padStart(3, '0')}`;

export interface SeedSummary {
  warehouses: number;
  products: number;
  stockUnits: number;
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/**
 * One mutation per input, `perRequest` of them to a request as aliases (each still its own transaction: mutation
 * fields run one after the other), a few requests at a time: seeding is set-up, not measured.
 */
async function batched(client: GraphQLClient, field: string, inputType: string, inputs: object[], perRequest = 20): Promise<void> {
  const chunks = Array.from({ length: Math.ceil(inputs.length / perRequest) }, (_, c) => inputs.slice(c * perRequest, (c + 1) * perRequest));
  await pool(chunks, 4, (chunk) => {
    const params = chunk.map((_, i) => `$i${i}: ${inputType}!`).join(', ');
    const fields = chunk.map((_, i) => `a${i}: ${field}(input: $i${i}) { __typename }`).join(' ');
    return client.gql(`mutation(${params}) { ${fields} }`, Object.fromEntries(chunk.map((input, i) => [`i${i}`, input])));
  });
}

export async function seed(client: GraphQLClient): Promise<SeedSummary> {
  const upsertWarehouse = `mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`;
  for (const w of WAREHOUSES) {
    await client.gql(upsertWarehouse, {
      input: {
        code: w.code,
        name: w.name,
        region: w.region,
        shippingLanes: REGIONS.map((region) => ({ region, days: w.lanes[region][0], cost: w.lanes[region][1] })),
      },
    });
  }
  // Transfer lanes name existing warehouses: a second pass once all three exist.
  for (const w of WAREHOUSES) {
    await client.gql(upsertWarehouse, {
      input: {
        code: w.code,
        name: w.name,
        region: w.region,
        transferLanes: WAREHOUSES.filter((o) => o.code !== w.code).map((o) => ({
          toWarehouseCode: o.code,
          days: o.code === 'BENCH-C' || w.code === 'BENCH-C' ? 1 : 2,
          cost: 2,
        })),
      },
    });
  }

  const products = Array.from({ length: PRODUCT_COUNT }, (_, i) => i);
  await batched(
    client,
    'upsertProduct',
    'ProductInput',
    products.map((i) => ({
      sku: skuOf(i),
      name: `Bench product ${i}`,
      leadTimeDays: 14,
      supplier: SUPPLIER,
      reorderPoint: 0,
      reorderQuantity: 0,
    })),
  );

  const adjustments: Array<{ sku: string; warehouseCode: string; delta: number }> = [];
  for (const i of products) {
    // Half the plentiful SKUs are missing from one warehouse.
    WAREHOUSES.forEach((w, k) => {
      if (i % 2 === 0 && k === i % WAREHOUSES.length) return;
      adjustments.push({ sku: skuOf(i), warehouseCode: w.code, delta: PLENTY });
    });
  }
  await batched(
    client,
    'adjustStock',
    'StockAdjustmentInput',
    adjustments.map((a) => ({ ...a, reason: 'bench: opening stock' })),
  );

  return { warehouses: WAREHOUSES.length, products: PRODUCT_COUNT, stockUnits: adjustments.reduce((sum, x) => sum + x.delta, 0) };
}

const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;

/** A price in EUR from whole cents, as an exact decimal string: floats like 5 + 7 / 100 are not money. */
const euros = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export interface OrderLineSpec {
  sku: string;
  quantity: number;
}

/**
 * placeOrder request bodies, serialised up front (the clock must not time JSON.stringify): order i has idempotency key
 * `${keyPrefix}${i}`, the lines `linesOf(i, pick)` gives, and a random region, customer and channel.
 */
export function orderBodies(
  count: number,
  seed: number,
  keyPrefix: string,
  linesOf: (i: number, pick: (n: number) => number) => OrderLineSpec[],
): string[] {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = {
      idempotencyKey: `${keyPrefix}${i}`,
      customerId: `bench-customer-${pick(CUSTOMERS)}`,
      channel: random() < 0.7 ? 'web' : 'app',
      currency: 'EUR',
      shipToRegion: REGIONS[pick(REGIONS.length)],
      lines: linesOf(i, pick).map((line) => ({ ...line, unitPrice: euros(500 + pick(9500)) })),
    };
    bodies.push(JSON.stringify({ query: PLACE_ORDER, variables: { input } }));
  }
  return bodies;
}

/** The table's workload: 1–3 lines of distinct SKUs among the 200, 1–3 units each. */
export function makeOrders(count: number, seed: number, keyPrefix: string): string[] {
  return orderBodies(count, seed, keyPrefix, (_, pick) => {
    const lineCount = 1 + pick(3);
    const skus = new Set<number>();
    while (skus.size < lineCount) skus.add(pick(PRODUCT_COUNT));
    return [...skus].map((sku) => ({ sku: skuOf(sku), quantity: 1 + pick(3) }));
  });
}
