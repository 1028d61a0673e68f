import { GraphQLClient } from '../bench/client';
import { seededRandom, sleep } from '../bench/stats';
import type { Acknowledged } from '../shared/invariants';

/**
 * What the drill does while faults happen: customers placing orders that retry with the same idempotency key
 * until the API answers (and now and then send an answered order again, as a client whose response was lost
 * would), and an operator receiving purchase orders and adjusting stock. Everything goes over HTTP to whichever
 * API processes are up.
 */

export const WAREHOUSES = ['DRILL-A', 'DRILL-B'];
export const SKUS = ['DRILL-1', 'DRILL-2', 'DRILL-3', 'DRILL-4'];
const REGION = 'EU';

const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;

export class ApiPool {
  private clients = new Map<string, GraphQLClient>();
  constructor(private readonly token: string) {}

  /** The GraphQL URLs of the API processes currently running. */
  urls: string[] = [];

  pick(i: number): GraphQLClient {
    const url = this.urls[i % this.urls.length];
    let client = this.clients.get(url);
    if (!client) this.clients.set(url, (client = new GraphQLClient(url, this.token, 16)));
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}

export async function seedWorld(api: GraphQLClient): Promise<void> {
  for (const code of WAREHOUSES) {
    await api.gql(`mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`, {
      input: { code, name: code, region: REGION, shippingLanes: [{ region: REGION, days: code === 'DRILL-A' ? 1 : 3, cost: 4 }] },
    });
  }
  await api.gql(`mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`, {
    input: { code: 'DRILL-B', name: 'DRILL-B', region: REGION, transferLanes: [{ toWarehouseCode: 'DRILL-A', days: 1, cost: 1 }] },
  });
  for (const [i, sku] of SKUS.entries()) {
    await api.gql(`mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }`, {
      input: { sku, name: sku, leadTimeDays: 10, supplier: 'Drill Supplies', reorderPoint: 5, reorderQuantity: 50 },
    });
    // Scarce on purpose: orders backorder, and receipts and adjustments have backorders to fill.
    await adjustStock(api, sku, WAREHOUSES[i % 2], 40, 'drill: opening stock');
  }
}

function adjustStock(api: GraphQLClient, sku: string, warehouseCode: string, delta: number, reason: string) {
  return api.gql(`mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
    input: { sku, warehouseCode, delta, reason },
  });
}

export interface LoadFigures {
  attempts: number;
  failedAttempts: number;
  resent: number;
  receipts: number;
  adjustments: number;
}

/**
 * Runs until `stop()`: `customers` concurrent order loops and one operator loop. Each order is sent until an
 * answer names its id (or the load stops: then it was never acknowledged and the client was not told anything).
 */
export class Load {
  readonly acknowledged = new Map<string, Acknowledged>();
  readonly figures: LoadFigures = { attempts: 0, failedAttempts: 0, resent: 0, receipts: 0, adjustments: 0 };
  readonly errors = new Map<string, number>();
  private stopping = false;
  private loops: Promise<void>[] = [];
  private counter = 0;
  private readonly random: () => number;

  constructor(
    private readonly apis: ApiPool,
    private readonly runId: string,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  start(customers: number): void {
    this.stopping = false;
    for (let c = 0; c < customers; c++) this.loops.push(this.customer(c));
    this.loops.push(this.operator());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    this.loops = [];
  }

  private note(error: string): void {
    this.figures.failedAttempts++;
    const kind = error.replace(/[0-9a-f-]{36}|\d+/g, 'N').slice(0, 120);
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** One request; resolves with the order id, or null after a failure (network, HTTP, GraphQL error). */
  private async place(client: GraphQLClient, body: string): Promise<string | null> {
    this.figures.attempts++;
    try {
      const { status, text } = await client.post(body);
      const parsed = JSON.parse(text);
      const id = parsed?.data?.placeOrder?.id;
      if (status === 200 && typeof id === 'string' && !parsed.errors) return id;
      this.note(parsed?.errors?.[0] ? `${parsed.errors[0].extensions?.code}: ${parsed.errors[0].message}` : `HTTP ${status}`);
    } catch (error) {
      this.note(String(error instanceof Error ? error.message : error));
    }
    return null;
  }

  private acknowledge(key: string, id: string): void {
    const entry = this.acknowledged.get(key) ?? { key, ids: new Set<string>() };
    entry.ids.add(id);
    this.acknowledged.set(key, entry);
  }

  private async customer(c: number): Promise<void> {
    while (!this.stopping) {
      const key = `${this.runId}-${c}-${this.counter++}`;
      const lines = SKUS.filter(() => this.random() < 0.5).slice(0, 2);
      const input = {
        idempotencyKey: key,
        customerId: `drill-${c}`,
        channel: 'drill',
        currency: 'EUR',
        shipToRegion: REGION,
        lines: (lines.length ? lines : [SKUS[c % SKUS.length]]).map((sku) => ({ sku, quantity: 1 + Math.floor(this.random() * 3), unitPrice: 12.5 })),
      };
      const body = JSON.stringify({ query: PLACE_ORDER, variables: { input } });
      for (let attempt = 0; !this.stopping || attempt === 0; attempt++) {
        const id = await this.place(this.apis.pick(c + attempt), body);
        if (id) {
          this.acknowledge(key, id);
          // A client that did not see the answer sends it again: the same order must come back.
          if (this.random() < 0.2) {
            this.figures.resent++;
            const again = await this.place(this.apis.pick(c + attempt + 1), body);
            if (again) this.acknowledge(key, again);
          }
          break;
        }
        await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
      }
      await sleep(20);
    }
  }

  /** Receipts and adjustments are not idempotent: a failed one is not retried, and either outcome keeps the books. */
  private async operator(): Promise<void> {
    for (let i = 0; !this.stopping; i++) {
      const sku = SKUS[i % SKUS.length];
      const warehouseCode = WAREHOUSES[i % WAREHOUSES.length];
      const api = this.apis.pick(i);
      try {
        if (i % 2 === 0) {
          const { createPurchaseOrder } = await api.gql(`mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id } }`, {
            input: {
              supplier: 'Drill Supplies',
              warehouseCode,
              expectedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
              lines: [{ sku, quantity: 12 }],
            },
          });
          await sleep(100);
          await api.gql(`mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { id } }`, {
            input: { purchaseOrderId: createPurchaseOrder.id, lines: [{ sku, quantity: i % 4 === 0 ? 12 : 7 }] },
          });
          this.figures.receipts++;
        } else {
          await adjustStock(api, sku, warehouseCode, i % 3 === 0 ? -2 : 5, 'drill: count');
          this.figures.adjustments++;
        }
      } catch (error) {
        if (!String(error).includes('CONFLICT')) this.note(`operator: ${String(error instanceof Error ? error.message : error)}`);
      }
      await sleep(150);
    }
  }
}
