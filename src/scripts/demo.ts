import 'reflect-metadata';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadPlanningPolicy } from '../allocation/planning-policy';
import { createApiServer } from '../api/server';
import { createServices } from '../app/services';
import { Role } from '../auth/roles';
import { signToken } from '../auth/token';
import { AppConfig, loadConfig } from '../config/config';
import { initOrm } from '../db/init-orm';
import { topics } from '../events/topics';
import { createLogger } from '../shared/logger';
import { createWorkerRuntime, WorkerRuntime } from '../../worker/worker-runtime';

/**
 * `npm run demo`: the canonical backorder, told as a story. 100 units are quoted and the quote confirmed, 70 are in
 * stock: the 70 ship and are invoiced, the 30 wait for a purchase order, arrive, ship and go on a consolidated invoice;
 * then two units come back: one is refunded by a credit note, the other exchanged, and the replacement ships; a demo
 * unit lent against the order is kept and invoiced out of the loan. Runs the API and the worker in this process against the
 * configured DATABASE_URL and REDIS_URL, and talks to them only as a client would: GraphQL over HTTP, and a
 * graphql-ws subscription that prints the order's events as they arrive. Every run uses fresh codes, so it can run
 * again and again against the same database.
 */

const DEADLINE_MS = 45_000;
const DAY_MS = 86_400_000;
const day = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString().slice(0, 10) : '—');
const time = (value: string | Date) => new Date(value).toISOString().slice(11, 23);
const say = (text = '') => process.stdout.write(`${text}\n`);
const heading = (text: string) => say(`\n── ${text} ${'─'.repeat(Math.max(3, 76 - text.length))}`);

interface OrderEventView {
  id: string;
  type: string;
  status: string;
  at: string;
  message: string;
}

const ORDER_FIELDS = `
  id number status customerId currency fulfilmentPolicy shipToRegion
  lines {
    sku quantity allocatedQuantity backorderedQuantity shippedQuantity cancelledQuantity eta unitPrice lineTotal
    allocations { kind status warehouseCode sourceWarehouseCode quantity eta reason }
  }
  shipments { id warehouseCode status trackingNumber lines { sku quantity } }
  events { id type status at message }
`;

/** The shapes of ORDER_FIELDS and the other selections below, as JSON brings them (dates and decimals as strings). */
interface DemoAllocation {
  kind: string;
  status: string;
  warehouseCode: string | null;
  sourceWarehouseCode: string | null;
  quantity: number;
  eta: string | null;
  reason: string;
}

interface DemoLine {
  sku: string;
  quantity: number;
  allocatedQuantity: number;
  backorderedQuantity: number;
  shippedQuantity: number;
  cancelledQuantity: number;
  eta: string | null;
  unitPrice: string;
  lineTotal: string;
  allocations: DemoAllocation[];
}

interface DemoShipment {
  id: string;
  warehouseCode: string | null;
  status: string;
  trackingNumber: string | null;
  lines: Array<{ sku: string; quantity: number }>;
}

interface DemoOrder {
  id: string;
  number: string;
  status: string;
  customerId: string;
  currency: string;
  fulfilmentPolicy: string;
  shipToRegion: string;
  lines: DemoLine[];
  shipments: DemoShipment[];
  events: OrderEventView[];
}

interface DemoMoney {
  netTotal: string;
  taxTotal: string;
  grossTotal: string;
}

interface Shipped {
  status: string;
  trackingNumber: string | null;
}

/** The value, or an error naming what the story expected to find. */
function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`demo: expected ${what}`);
  return value;
}

class Client {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.length) {
      throw new Error(`GraphQL error: ${body.errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`.trim()).join('; ')}`);
    }
    return body.data as T;
  }

  async order(id: string): Promise<DemoOrder> {
    return (await this.gql<{ order: DemoOrder }>(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id })).order;
  }
}

/** Polls until `test` returns something truthy. */
async function until<T>(what: string, test: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const KIND_ORDER = ['PULL', 'TRANSFER', 'WAIT', 'DROP_SHIP'];

function printOrder(order: DemoOrder): void {
  say(`  ${order.number} is ${order.status} (customer ${order.customerId}, ${order.fulfilmentPolicy}, ships to ${order.shipToRegion})`);
  for (const line of order.lines) {
    say(
      `  ${line.sku}: ${line.quantity} ordered = ${line.allocatedQuantity} allocated + ${line.backorderedQuantity} backordered` +
        ` + ${line.shippedQuantity} shipped + ${line.cancelledQuantity} cancelled; ETA ${day(line.eta)};` +
        ` ${line.unitPrice} ${order.currency} each, ${line.lineTotal} ${order.currency} in all`,
    );
    for (const a of [...line.allocations].sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind))) {
      const where =
        a.kind === 'TRANSFER' ? `${a.sourceWarehouseCode}→${a.warehouseCode}` : a.kind === 'DROP_SHIP' ? 'the supplier' : (a.warehouseCode ?? '');
      say(`    ${a.kind.padEnd(9)} ${String(a.quantity).padStart(4)} ${(where ? `at ${where}` : '').padEnd(17)} ${a.status.padEnd(7)} “${a.reason}”`);
    }
  }
  if (order.shipments.length === 0) say('  no shipments yet');
  for (const s of order.shipments) {
    const contents = s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
    say(`  shipment from ${s.warehouseCode}: ${s.status}, ${contents}${s.trackingNumber ? `, tracking ${s.trackingNumber}` : ''}`);
  }
}

function printEvent(prefix: string, e: OrderEventView): void {
  say(`${prefix}${time(e.at)}  ${e.type.padEnd(16)} → ${e.status.padEnd(19)} ${e.message}`);
}

async function main(): Promise<void> {
  const env = loadConfig();
  // The service's own JSON logs would drown the story: warnings and errors only, unless LOG_LEVEL asks for more.
  const config: AppConfig = { ...env, port: 0, logLevel: process.env.LOG_LEVEL ? env.logLevel : 'warn' };
  const run = Date.now().toString(36).toUpperCase();
  const codes = { east: `EAST-${run}`, west: `WEST-${run}`, sku: `MUG-${run}`, customer: `demo-customer-${run}` };

  heading('Starting the service in this process');
  const orm = await initOrm({ databaseUrl: config.databaseUrl, migrate: true });
  const services = createServices(orm, config);
  const api = createApiServer({ config, orm, services });
  let worker: WorkerRuntime | null = null;
  let socket: ReturnType<typeof createClient> | null = null;
  const stopAll = async () => {
    await socket?.dispose();
    await worker?.stop();
    await api.stop();
    await services.close();
    await orm.close(true);
  };

  try {
    await api.start();
    const db = new URL(config.databaseUrl);
    say(`  API on ${api.url}, subscriptions on ${api.wsUrl}`);
    say(`  database ${db.host}${db.pathname}, Redis ${config.redisUrl} under prefix "${config.redisPrefix}"`);
    const admin = new Client(api.url, await signToken({ role: Role.ADMIN, subject: 'demo' }, config, { ttlSeconds: 600 }));
    const customerToken = await signToken({ role: Role.CUSTOMER, customerId: codes.customer, subject: 'demo-customer' }, config, { ttlSeconds: 600 });

    heading('An admin sets up two warehouses, a product and its stock');
    for (const [code, name, days, cost] of [
      [codes.east, 'East', 2, 5],
      [codes.west, 'West', 4, 3],
    ] as const) {
      await admin.gql<unknown>(`mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`, {
        input: { code, name: `${name} ${run}`, region: 'EU', shippingLanes: [{ region: 'EU', days, cost }] },
      });
      say(`  warehouse ${code}: ships to EU in ${days} days at cost ${cost}`);
    }
    await admin.gql<unknown>(`mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }`, {
      input: { sku: codes.sku, name: 'Enamel mug', leadTimeDays: 14, reorderQuantity: 50, supplier: 'Acme Mugs', taxRate: '25' },
    });
    say(`  product ${codes.sku} (supplier Acme Mugs, lead time 14 days, 25 % tax)`);
    const stock = await admin.gql<{ adjustStock: { warehouseCode: string; onHand: number; available: number } }>(
      `mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { warehouseCode onHand available } }`,
      {
        input: { sku: codes.sku, warehouseCode: codes.east, delta: 70, reason: 'demo: opening stock' },
      },
    );
    say(`  ${stock.adjustStock.onHand} units counted in at ${stock.adjustStock.warehouseCode}, nothing at ${codes.west}`);

    heading(`A customer asks for a quote of 100 × ${codes.sku} at 12.50; only 70 are in stock`);
    const quote = (
      await admin.gql<{ createQuote: { id: string; number: string; status: string; version: number } }>(
        `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { id number status version } }`,
        {
          input: {
            idempotencyKey: `demo-${run}`,
            customerId: codes.customer,
            channel: 'web',
            currency: 'EUR',
            shipToRegion: 'EU',
            validUntil: new Date(Date.now() + 14 * DAY_MS).toISOString(),
            lines: [{ sku: codes.sku, quantity: 100, unitPrice: '12.50' }],
          },
        },
      )
    ).createQuote;
    say(`  ${quote.number} is a ${quote.status}: nothing reserved, nobody's stock taken`);
    say('  the seller confirms it (the worker is not running yet: the allocation it is owed waits in the database)');
    const placed = (
      await admin.gql<{ confirmQuote: DemoOrder }>(
        `mutation($id: ID!, $v: Int!) { confirmQuote(orderId: $id, expectedVersion: $v) { ${ORDER_FIELDS} } }`,
        {
          id: quote.id,
          v: quote.version,
        },
      )
    ).confirmQuote;
    printOrder(placed);
    const orderId: string = placed.id;

    heading('The customer subscribes to orderUpdated over a websocket');
    const seen = new Set<string>();
    const subscriptionErrors: unknown[] = [];
    socket = createClient({
      url: api.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${customerToken}` },
      retryAttempts: 0,
    });
    socket.subscribe<{ orderUpdated: OrderEventView }>(
      { query: `subscription($id: ID!) { orderUpdated(orderId: $id) { id type status at message } }`, variables: { id: orderId } },
      {
        next: (result) => {
          if (result.errors) subscriptionErrors.push(result.errors);
          const event = result.data?.orderUpdated;
          if (!event || seen.has(event.id)) return;
          seen.add(event.id);
          printEvent('  ⚡ live  ', event);
        },
        error: (error) => subscriptionErrors.push(error),
        complete: () => undefined,
      },
    );
    // graphql-ws does not acknowledge a subscription: wait until the server holds one for this order on Redis.
    const channel = `${topics(config.redisPrefix).orderUpdated}:${orderId}`;
    const probe = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      await until('the subscription to be live', async () => Number(((await probe.pubsub('NUMSUB', channel)) as [string, number])[1]) > 0);
    } finally {
      probe.disconnect();
    }
    say('  subscribed; events will be printed as they arrive, marked ⚡');

    /**
     * Waits until every event in the order's timeline has also arrived on the subscription. Another worker on the
     * same database and prefix (an `npm start` running beside the demo) may have acted before the subscription
     * was live: such events are shown from the timeline instead.
     */
    const settle = async (order: DemoOrder) => {
      const missing = () => order.events.filter((e) => !seen.has(e.id));
      await until(
        'the live events',
        async () => {
          if (subscriptionErrors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(subscriptionErrors[0])}`);
          return missing().length === 0;
        },
        3_000,
      ).catch((error) => {
        if (subscriptionErrors.length > 0) throw error;
        for (const event of missing()) {
          seen.add(event.id);
          printEvent('  · earlier ', event);
        }
      });
      return order;
    };
    const waitForOrder = async (what: string, test: (order: DemoOrder) => boolean) =>
      settle(
        await until(what, async () => {
          const order = await admin.order(orderId);
          return test(order) ? order : null;
        }),
      );

    heading('The worker starts: the outbox relay delivers, the allocator plans');
    worker = createWorkerRuntime({ config, orm, logger: createLogger(config, 'worker'), policyFor: loadPlanningPolicy });
    await worker.start();
    let order = await waitForOrder('the order to be allocated', (o) => o.status !== 'PENDING' && o.shipments.length > 0);
    say();
    printOrder(order);
    const suggestion = (
      await admin.gql<{ purchaseOrders: { edges: Array<{ node: { number: string; status: string; lines: Array<{ quantity: number }> } }> } }>(
        `query($sku: String!) { purchaseOrders(filter: { sku: $sku, suggested: true }) { edges { node { number status lines { quantity } } } } }`,
        { sku: codes.sku },
      )
    ).purchaseOrders.edges[0]?.node;
    if (suggestion)
      say(`  the backorder raised a reorder suggestion: ${suggestion.number}, ${suggestion.status}, ${suggestion.lines[0].quantity} units`);

    heading('Purchasing orders 40 more from Acme Mugs, expected in 5 days');
    const expectedAt = new Date(Date.now() + 5 * DAY_MS);
    const po = (
      await admin.gql<{ createPurchaseOrder: { id: string; number: string; status: string; expectedAt: string } }>(
        `mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id number status expectedAt } }`,
        {
          input: {
            supplier: 'Acme Mugs',
            warehouseCode: codes.east,
            expectedAt: expectedAt.toISOString(),
            lines: [{ sku: codes.sku, quantity: 40 }],
          },
        },
      )
    ).createPurchaseOrder;
    say(`  ${po.number} is ${po.status}, expected ${day(po.expectedAt)} at ${codes.east}`);
    order = await waitForOrder(`the backorder to wait for ${po.number}`, (o) =>
      o.lines[0].allocations.some((a) => a.kind === 'WAIT' && a.status === 'ACTIVE' && a.reason.includes(po.number)),
    );
    const waiting = found(
      order.lines[0].allocations.find((a) => a.kind === 'WAIT' && a.status === 'ACTIVE'),
      'an active WAIT',
    );
    say(`\n  the ${waiting.quantity} now wait for ${po.number}; they should reach the customer by ${day(waiting.eta)}`);
    printOrder(order);

    heading(`The warehouse ships the 70 from ${codes.east}`);
    const first = found(
      order.shipments.find((s) => s.status === 'READY'),
      'a READY shipment',
    );
    const shipped1 = (
      await admin.gql<{ shipShipment: Shipped }>(`mutation($input: ShipInput!) { shipShipment(input: $input) { status trackingNumber } }`, {
        input: { shipmentId: first.id, trackingNumber: `TRK-${run}-1` },
      })
    ).shipShipment;
    say(`  shipment ${shipped1.status}, tracking ${shipped1.trackingNumber}`);
    order = await waitForOrder('the first shipment to show', (o) => o.status === 'PARTIALLY_SHIPPED');
    say();
    printOrder(order);

    heading(`${po.number} arrives: 40 units received at ${codes.east}`);
    const receipt = (
      await admin.gql<{ receivePurchaseOrder: { number: string; status: string } }>(
        `mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { number status } }`,
        {
          input: { purchaseOrderId: po.id, lines: [{ sku: codes.sku, quantity: 40 }] },
        },
      )
    ).receivePurchaseOrder;
    say(`  ${receipt.number} is ${receipt.status}; the worker matches the new stock against the backorder at once`);
    order = await waitForOrder(
      'the backorder to be allocated',
      (o) => o.lines[0].backorderedQuantity === 0 && o.shipments.some((s) => s.status === 'READY'),
    );
    say();
    printOrder(order);

    heading('The warehouse ships the remaining 30');
    const second = found(
      order.shipments.find((s) => s.status === 'READY'),
      'a READY shipment',
    );
    const shipped2 = (
      await admin.gql<{ shipShipment: Shipped }>(`mutation($input: ShipInput!) { shipShipment(input: $input) { status trackingNumber } }`, {
        input: { shipmentId: second.id, trackingNumber: `TRK-${run}-2` },
      })
    ).shipShipment;
    say(`  shipment ${shipped2.status}, tracking ${shipped2.trackingNumber}`);
    order = await waitForOrder('the order to be shipped', (o) => o.status === 'SHIPPED');

    await lifeAfterShipping(admin, order, codes, say);

    order = await settle(await admin.order(orderId));
    heading(`The final order: ${order.number}`);
    printOrder(order);
    say('\n  timeline:');
    for (const event of order.events) printEvent('    ', event);
    const stockNow = (
      await admin.gql<{ stockLevels: Array<{ warehouseCode: string; onHand: number; reserved: number; available: number }> }>(
        `query($sku: String!) { stockLevels(sku: $sku) { warehouseCode onHand reserved available } }`,
        { sku: codes.sku },
      )
    ).stockLevels;
    say(`\n  stock of ${codes.sku} left:`);
    for (const s of stockNow.filter((level) => level.warehouseCode === codes.east || level.warehouseCode === codes.west)) {
      say(`    ${s.warehouseCode}: ${s.onHand} on hand, ${s.reserved} reserved, ${s.available} available`);
    }
  } finally {
    heading('Stopping');
    await stopAll();
    say('  subscription closed, worker and API stopped, connections closed');
  }
}

/**
 * The rest of the order's life: the two shipments invoiced (one per shipment, then the rest on a consolidated invoice),
 * two units returned, one refunded by a credit note and one exchanged, and the replacement shipped; a demo unit lent
 * against the order and invoiced out of the loan (invoiceLoan).
 */
async function lifeAfterShipping(
  admin: Client,
  order: DemoOrder,
  codes: { sku: string; customer: string; east: string },
  print: (text?: string) => void,
): Promise<void> {
  const money = (i: DemoMoney) => `net ${i.netTotal}, tax ${i.taxTotal}, gross ${i.grossTotal}`;
  heading('Accounting invoices the first shipment (the 70)');
  const shipped = order.shipments.filter((s) => s.status === 'SHIPPED');
  const [first, second] = [found(shipped[0], 'a first shipped shipment'), found(shipped[1], 'a second shipped shipment')];
  const invoice = (
    await admin.gql<{ invoiceShipment: DemoMoney & { id: string; number: string } }>(
      `mutation($s: ID!) { invoiceShipment(input: { shipmentIds: [$s] }) { id number netTotal taxTotal grossTotal } }`,
      { s: first.id },
    )
  ).invoiceShipment;
  print(`  ${invoice.number}: ${money(invoice)} EUR`);
  heading('…and the rest on a consolidated invoice of every uninvoiced shipment of the customer');
  const consolidated = (
    await admin.gql<{ issueConsolidatedInvoice: DemoMoney & { number: string } }>(
      `mutation($c: ID!) { issueConsolidatedInvoice(input: { customerId: $c, currency: "EUR" }) { number netTotal taxTotal grossTotal } }`,
      { c: codes.customer },
    )
  ).issueConsolidatedInvoice;
  print(`  ${consolidated.number}: ${money(consolidated)} EUR (shipment ${second.id.slice(0, 8)}…)`);
  const invoiced = await admin.gql<{ order: { invoicingStatus: string; version: number } }>(
    `query($id: ID!) { order(id: $id) { invoicingStatus version } }`,
    { id: order.id },
  );
  print(`  the order is ${invoiced.order.invoicingStatus}`);

  heading('Two mugs come back: one chipped (written off), one unwanted (back on hand)');
  const rma = (
    await admin.gql<{ authoriseReturn: { id: string; number: string; version: number } }>(
      `mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { id number version } }`,
      {
        input: {
          orderId: order.id,
          expectedVersion: invoiced.order.version,
          lines: [{ sku: codes.sku, quantity: 2 }],
          reason: 'demo: one chipped, one unwanted',
        },
      },
    )
  ).authoriseReturn;
  const received = (
    await admin.gql<{ receiveReturn: { status: string; version: number } }>(
      `mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { status version } }`,
      {
        input: {
          returnId: rma.id,
          expectedVersion: rma.version,
          lines: [
            { sku: codes.sku, quantity: 1, condition: 'DAMAGED', warehouseCode: codes.east },
            { sku: codes.sku, quantity: 1, condition: 'SELLABLE', warehouseCode: codes.east },
          ],
        },
      },
    )
  ).receiveReturn;
  print(`  ${rma.number} authorised, then ${received.status}`);

  heading('One is refunded: a credit note on the first invoice, recorded on the return');
  const note = (
    await admin.gql<{ issueCreditNote: { number: string; grossTotal: string; invoice: { number: string; status: string; creditedGross: string } } }>(
      `mutation($input: CreditNoteInput!) { issueCreditNote(input: $input) { number grossTotal invoice { number status creditedGross } } }`,
      {
        input: { invoiceId: invoice.id, lines: [{ sku: codes.sku, quantity: 1 }], reason: 'chipped on arrival', returnId: rma.id },
      },
    )
  ).issueCreditNote;
  print(
    `  ${note.number}: ${note.grossTotal} EUR credited; ${note.invoice.number} is now ${note.invoice.status} (${note.invoice.creditedGross} credited)`,
  );

  heading('The other is exchanged: a REPLACEMENT order at no charge, served first');
  const replacement = (
    await admin.gql<{ createExchange: { id: string; number: string; flags: string[] } }>(
      `mutation($input: CreateExchangeInput!) { createExchange(input: $input) { id number flags } }`,
      {
        input: { returnId: rma.id, expectedVersion: received.version + 1 },
      },
    )
  ).createExchange;
  print(`  ${replacement.number} (${replacement.flags.join(', ')})`);
  const ready = await until('the replacement to be allocated', async () => {
    const o = await admin.order(replacement.id);
    return o.shipments.find((s) => s.status === 'READY');
  });
  await admin.gql<unknown>(`mutation($s: ID!) { shipShipment(input: { shipmentId: $s, trackingNumber: "TRK-EXCHANGE" }) { status } }`, {
    s: ready.id,
  });
  const shippedReplacement = await admin.order(replacement.id);
  print(`  ${shippedReplacement.number} is ${shippedReplacement.status}`);
  heading('A mug from the 10 left over is lent against the order; the customer keeps it: invoiced out of the loan');
  const loan = (
    await admin.gql<{ lendStock: { id: string; number: string; version: number } }>(
      `mutation($input: LendStockInput!) { lendStock(input: $input) { id number version } }`,
      {
        input: {
          customerId: codes.customer,
          warehouseCode: codes.east,
          lines: [{ sku: codes.sku, quantity: 1 }],
          reason: 'try before buying',
          orderId: order.id,
        },
      },
    )
  ).lendStock;
  const loanInvoice = (
    await admin.gql<{ invoiceLoan: DemoMoney & { number: string; loan: { reference: string } } }>(
      `mutation($input: InvoiceLoanInput!) { invoiceLoan(input: $input) { number netTotal taxTotal grossTotal loan { reference } } }`,
      {
        input: { loanId: loan.id, expectedVersion: loan.version, currency: 'EUR', lines: [{ sku: codes.sku, quantity: 1, unitPrice: '9.50' }] },
      },
    )
  ).invoiceLoan;
  const sold = (await admin.gql<{ loan: { status: string } }>(`query($id: ID!) { loan(id: $id) { status } }`, { id: loan.id })).loan;
  print(
    `  ${loan.number} lent, then ${loanInvoice.number}: ${money(loanInvoice)} EUR; ${loanInvoice.loan.reference} is ${sold.status}, the mug left stock`,
  );
}

const watchdog = setTimeout(() => {
  process.stderr.write(`\ndemo: gave up after ${DEADLINE_MS / 1000} s\n`);
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();

const startedAt = Date.now();
main().then(
  () => {
    say(`\nDone in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
