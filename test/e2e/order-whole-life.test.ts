import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '../../src/webhooks/webhook-signature';
import { connect, integrityChecks } from '../../tools/bench/database';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

const DAY = 24 * 60 * 60 * 1000;
const ORDER = `query($id: ID!) { order(id: $id) { id number status invoicingStatus version flags
  lines { sku quantity allocatedQuantity backorderedQuantity shippedQuantity }
  shipments { id status invoicingStatus } events { type message }
  invoices { id number grossTotal } } }`;
const INVOICE = `id number kind status netTotal taxTotal grossTotal creditedNet creditedTax creditedGross orderIds lines { sku quantity unitPrice lineNet tax lineGross }`;
const RETURN = `id number status version lines { sku quantity refundedQuantity exchangedQuantity refundableQuantity }`;
const HEARD = ['INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED', 'RETURN_RECEIVED'];

/**
 * One order's whole life through the API, with the worker running: quote → confirmed → partly shipped → invoiced →
 * rest shipped → consolidated invoice → one unit returned and refunded by a credit note, one exchanged → exchange
 * shipped. After every step: stock, the order's status and invoicing status, money to the cent, the timeline and the
 * shared integrity checks. Bad transitions on the way answer the contract's codes and change no row.
 */
describe('the whole life of one order', () => {
  let h: Harness;
  let db: Client;
  let receiver: WebhookReceiver;
  let secret: string;
  const accounting = () => h.token('accounting');

  const order = async (id: string) => (await h.ok(ORDER, { id })).order;
  const stock = async () => {
    const [level] = (await h.ok(`query { stockLevels(sku: "LAMP") { onHand reserved onLoan available } }`)).stockLevels;
    const [{ n }] = (
      await db.query(
        `select coalesce(sum(quantity), 0)::int as n from allocation where sku = 'LAMP' and status = 'ACTIVE' and kind in ('PULL', 'TRANSFER')`,
      )
    ).rows;
    return { ...level, reservedByAllocations: n };
  };
  const invoice = async (id: string) => (await h.ok(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, { id })).invoice;
  const settled = (id: string, test: (o: any) => boolean, what: string) =>
    h.waitFor(
      async () => {
        const o = await order(id);
        return test(o) ? o : null;
      },
      what,
      30_000,
    );
  /** The allocator owes nothing, then every shared integrity check holds. */
  const booksBalance = async () => {
    await h.waitFor(
      async () => (await db.query(`select count(*)::int as n from allocation_request`)).rows[0].n === 0,
      'the allocator to catch up',
      30_000,
    );
    expect((await integrityChecks(db)).filter((c) => !c.ok)).toEqual([]);
  };
  const types = (o: any): string[] => o.events.map((e: any) => e.type);
  /** Every row a lifecycle step could touch, to compare before and after a refused one. */
  const rows = async () => {
    const tables = [
      'sales_order',
      'order_line',
      'shipment',
      'stock_level',
      'allocation',
      'invoice',
      'invoice_line',
      'credit_note',
      'credit_note_line',
      'return_authorisation',
      'return_line',
      'order_event',
    ];
    const out: Record<string, unknown[]> = {};
    for (const table of tables) out[table] = (await db.query(`select * from ${table} order by 1`)).rows;
    // The relay marks messages delivered on its own time: compare which messages exist, not their delivery.
    out.outbox_message = (await db.query(`select id from outbox_message order by id`)).rows;
    return out;
  };
  const refused = async (query: string, variables: Record<string, unknown>, code: string, token = h.token('admin')) => {
    const before = await rows();
    const answer = await h.gql(query, variables, token);
    expect(errorCode(answer), JSON.stringify(answer.errors)).toBe(code);
    expect(await rows()).toEqual(before);
    return answer;
  };

  beforeAll(async () => {
    h = await Harness.start({ config: { webhookBackoffBaseMs: 20, webhookBackoffMaxMs: 100, webhookPollMs: 50 } });
    db = await connect(h.config.databaseUrl, 'whole-life-test');
    receiver = await WebhookReceiver.start();
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "LAMP", name: "Desk lamp", leadTimeDays: 14, taxRate: "25" }) { sku } }`);
    await h.ok(`mutation { adjustStock(input: { sku: "LAMP", warehouseCode: "EAST", delta: 3, reason: "count" }) { onHand } }`);
    secret = (
      await h.ok(`mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret } }`, {
        input: { url: receiver.url('/erp'), eventTypes: HEARD, description: 'the ERP' },
      })
    ).registerWebhookEndpoint.secret;
  });
  afterAll(async () => {
    await db?.end();
    await receiver?.close();
    await h?.stop();
  });

  it('runs from quote to exchange with stock, money and the timeline consistent at every step', async () => {
    // 1. A quote for 5 lamps at 10.00: nothing reserved, nothing allocated.
    const quote = (
      await h.ok(
        `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { id version status } }`,
        {
          input: {
            idempotencyKey: 'life-1',
            customerId: 'c-life',
            channel: 'b2b',
            currency: 'EUR',
            shipToRegion: 'EU',
            validUntil: new Date(Date.now() + 7 * DAY).toISOString(),
            lines: [{ sku: 'LAMP', quantity: 5, unitPrice: '10.00' }],
          },
        },
        h.token('service'),
      )
    ).createQuote;
    expect(quote.status).toBe('QUOTE');
    expect(await stock()).toMatchObject({ onHand: 3, reserved: 0, onLoan: 0, available: 3, reservedByAllocations: 0 });
    await booksBalance();

    // 2. Confirmed: 3 reserved from stock, 2 backordered.
    const CONFIRM = `mutation($id: ID!, $v: Int!) { confirmQuote(orderId: $id, expectedVersion: $v) { id version status } }`;
    await h.ok(CONFIRM, { id: quote.id, v: quote.version });
    const confirmed = await settled(quote.id, (o) => o.shipments.some((s: any) => s.status === 'READY'), 'the confirmed order allocated');
    expect(confirmed).toMatchObject({ status: 'PARTIALLY_ALLOCATED', invoicingStatus: 'NOT_INVOICED' });
    expect(confirmed.lines).toEqual([{ sku: 'LAMP', quantity: 5, allocatedQuantity: 3, backorderedQuantity: 2, shippedQuantity: 0 }]);
    expect(await stock()).toMatchObject({ onHand: 3, reserved: 3, available: 0, reservedByAllocations: 3 });
    expect(types(confirmed)).toEqual(
      expect.arrayContaining(['QUOTE_CREATED', 'QUOTE_CONFIRMED', 'PLACED', 'ALLOCATED', 'BACKORDERED', 'SHIPMENT_CREATED']),
    );
    await booksBalance();
    // Confirming again is idempotent (same order, nothing written); sending a confirmed quote is a CONFLICT.
    const before = await rows();
    expect((await h.ok(CONFIRM, { id: quote.id, v: 1 })).confirmQuote).toMatchObject({ id: quote.id, version: confirmed.version });
    expect(await rows()).toEqual(before);
    await refused(
      `mutation($id: ID!, $v: Int!) { sendQuote(orderId: $id, expectedVersion: $v) { id } }`,
      { id: quote.id, v: confirmed.version },
      'CONFLICT',
    );
    // Invoicing a shipment that has not shipped: CONFLICT.
    const first = confirmed.shipments.find((s: any) => s.status === 'READY');
    const INVOICE_SHIPMENT = `mutation($input: InvoiceShipmentInput!) { invoiceShipment(input: $input) { ${INVOICE} } }`;
    await refused(INVOICE_SHIPMENT, { input: { shipmentIds: [first.id] } }, 'CONFLICT', accounting());

    // 3. Partly shipped: the 3 leave stock.
    await h.ok(`mutation($s: ID!) { shipShipment(input: { shipmentId: $s, trackingNumber: "TRK-1" }) { status } }`, { s: first.id });
    const partly = await order(quote.id);
    expect(partly).toMatchObject({ status: 'PARTIALLY_SHIPPED', invoicingStatus: 'NOT_INVOICED' });
    expect(partly.lines[0]).toMatchObject({ allocatedQuantity: 0, backorderedQuantity: 2, shippedQuantity: 3 });
    expect(await stock()).toMatchObject({ onHand: 0, reserved: 0, available: 0, reservedByAllocations: 0 });
    await booksBalance();

    // 4. Invoiced (seed 003's "rest": the 2 stay open): 3 × 10.00 + 25 % tax.
    const firstInvoice = (await h.ok(INVOICE_SHIPMENT, { input: { shipmentIds: [first.id] } }, accounting())).invoiceShipment;
    expect(firstInvoice).toMatchObject({
      kind: 'SHIPMENT',
      status: 'ISSUED',
      netTotal: '30',
      taxTotal: '7.5',
      grossTotal: '37.5',
      orderIds: [quote.id],
    });
    expect(firstInvoice.lines).toEqual([{ sku: 'LAMP', quantity: 3, unitPrice: '10', lineNet: '30', tax: '7.5', lineGross: '37.5' }]);
    const invoiced = await order(quote.id);
    expect(invoiced).toMatchObject({ status: 'PARTIALLY_SHIPPED', invoicingStatus: 'PARTLY_INVOICED' });
    expect(invoiced.shipments.find((s: any) => s.id === first.id).invoicingStatus).toBe('INVOICED');
    expect(types(invoiced).at(-1)).toBe('INVOICE_ISSUED');
    await refused(INVOICE_SHIPMENT, { input: { shipmentIds: [first.id] } }, 'CONFLICT', accounting());
    await booksBalance();

    // 5. The rest arrives and ships.
    await h.ok(`mutation { adjustStock(input: { sku: "LAMP", warehouseCode: "EAST", delta: 2, reason: "goods received" }) { onHand } }`);
    const restReady = await settled(
      quote.id,
      (o) => o.lines[0].allocatedQuantity === 2 && o.shipments.some((s: any) => s.status === 'READY'),
      'the rest allocated',
    );
    expect(await stock()).toMatchObject({ onHand: 2, reserved: 2, available: 0, reservedByAllocations: 2 });
    const rest = restReady.shipments.find((s: any) => s.status === 'READY');
    await h.ok(`mutation($s: ID!) { shipShipment(input: { shipmentId: $s, trackingNumber: "TRK-2" }) { status } }`, { s: rest.id });
    const shipped = await order(quote.id);
    expect(shipped).toMatchObject({ status: 'SHIPPED', invoicingStatus: 'PARTLY_INVOICED' });
    expect(shipped.lines[0]).toMatchObject({ allocatedQuantity: 0, backorderedQuantity: 0, shippedQuantity: 5 });
    expect(await stock()).toMatchObject({ onHand: 0, reserved: 0, available: 0, reservedByAllocations: 0 });
    await booksBalance();

    // 6. The consolidated invoice takes every uninvoiced shipment of the customer: the 2.
    const consolidated = (
      await h.ok(`mutation { issueConsolidatedInvoice(input: { customerId: "c-life", currency: "EUR" }) { ${INVOICE} } }`, {}, accounting())
    ).issueConsolidatedInvoice;
    expect(consolidated).toMatchObject({ kind: 'CONSOLIDATED', netTotal: '20', taxTotal: '5', grossTotal: '25', orderIds: [quote.id] });
    const fullyInvoiced = await order(quote.id);
    expect(fullyInvoiced).toMatchObject({ status: 'SHIPPED', invoicingStatus: 'INVOICED' });
    expect(fullyInvoiced.invoices.map((i: any) => i.grossTotal).sort()).toEqual(['25', '37.5']);
    await refused(`mutation { issueConsolidatedInvoice(input: { customerId: "c-life" }) { id } }`, {}, 'CONFLICT', accounting());
    await booksBalance();

    // 7. Two units come back: more than shipped is refused; one sellable (back on hand), one damaged (written off).
    const AUTHORISE = `mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { ${RETURN} } }`;
    await refused(
      AUTHORISE,
      { input: { orderId: quote.id, expectedVersion: fullyInvoiced.version, lines: [{ sku: 'LAMP', quantity: 6 }], reason: 'too many' } },
      'BAD_USER_INPUT',
      h.token('service'),
    );
    const rma = (
      await h.ok(
        AUTHORISE,
        {
          input: {
            orderId: quote.id,
            expectedVersion: fullyInvoiced.version,
            lines: [{ sku: 'LAMP', quantity: 2 }],
            reason: 'one broken, one flickers',
          },
        },
        h.token('service'),
      )
    ).authoriseReturn;
    const CREDIT = `mutation($input: CreditNoteInput!) { issueCreditNote(input: $input) { id number returnId netTotal taxTotal grossTotal
      invoice { status creditedGross } } }`;
    // Nothing received yet: nothing to refund.
    await refused(CREDIT, { input: { invoiceId: firstInvoice.id, reason: 'refund', returnId: rma.id } }, 'BAD_USER_INPUT', accounting());
    const received = (
      await h.ok(
        `mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { ${RETURN} } }`,
        {
          input: {
            returnId: rma.id,
            expectedVersion: rma.version,
            lines: [
              { sku: 'LAMP', quantity: 1, condition: 'SELLABLE', warehouseCode: 'EAST' },
              { sku: 'LAMP', quantity: 1, condition: 'DAMAGED', warehouseCode: 'EAST' },
            ],
          },
        },
        h.token('ops'),
      )
    ).receiveReturn;
    expect(received).toMatchObject({ status: 'RECEIVED', lines: [{ sku: 'LAMP', quantity: 2, refundableQuantity: 2, refundedQuantity: 0 }] });
    expect(await stock()).toMatchObject({ onHand: 1, reserved: 0, available: 1, onLoan: 0 });
    expect(types(await order(quote.id)).at(-1)).toBe('RETURN_RECEIVED');
    await booksBalance();

    // 8. The refund: a credit note of one unit on the first invoice, recorded on the return in the same transaction.
    await refused(
      CREDIT,
      { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'LAMP', quantity: 4 }], reason: 'more than invoiced' } },
      'CONFLICT',
      accounting(),
    );
    await refused(
      CREDIT,
      { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'LAMP', quantity: 3 }], reason: 'more than returned', returnId: rma.id } },
      'BAD_USER_INPUT',
      accounting(),
    );
    const note = (
      await h.ok(
        CREDIT,
        { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'LAMP', quantity: 1 }], reason: 'broken on arrival', returnId: rma.id } },
        accounting(),
      )
    ).issueCreditNote;
    expect(note).toMatchObject({
      returnId: rma.id,
      netTotal: '10',
      taxTotal: '2.5',
      grossTotal: '12.5',
      invoice: { status: 'PARTLY_CREDITED', creditedGross: '12.5' },
    });
    expect(await invoice(consolidated.id)).toMatchObject({ status: 'ISSUED', creditedGross: '0' });
    const afterRefund = (await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { ${RETURN} } }`, { id: rma.id })).returnAuthorisation;
    expect(afterRefund.lines).toEqual([{ sku: 'LAMP', quantity: 2, refundedQuantity: 1, exchangedQuantity: 0, refundableQuantity: 1 }]);
    const refundedOrder = await order(quote.id);
    expect(refundedOrder.events.at(-1)).toMatchObject({
      type: 'CREDIT_NOTE_ISSUED',
      message: expect.stringContaining(`refunding 1 × LAMP returned on ${rma.number}`),
    });
    expect(await stock()).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    await booksBalance();

    // 9. The other unit is exchanged: a REPLACEMENT order at no charge takes the returned unit and ships.
    const replacement = (
      await h.ok(
        `mutation($input: CreateExchangeInput!) { createExchange(input: $input) { id flags } }`,
        {
          input: { returnId: rma.id, expectedVersion: afterRefund.version, lines: [{ sku: 'LAMP', quantity: 1 }] },
        },
        h.token('service'),
      )
    ).createExchange;
    expect(replacement.flags).toContain('REPLACEMENT');
    const replacementReady = await settled(replacement.id, (o) => o.shipments.some((s: any) => s.status === 'READY'), 'the replacement allocated');
    expect(await stock()).toMatchObject({ onHand: 1, reserved: 1, available: 0, reservedByAllocations: 1 });
    // Neither unit is left to refund or replace.
    const done = (await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { ${RETURN} } }`, { id: rma.id })).returnAuthorisation;
    expect(done.lines).toEqual([{ sku: 'LAMP', quantity: 2, refundedQuantity: 1, exchangedQuantity: 1, refundableQuantity: 0 }]);
    await booksBalance();
    await refused(CREDIT, { input: { invoiceId: firstInvoice.id, reason: 'again', returnId: rma.id } }, 'BAD_USER_INPUT', accounting());
    await h.ok(`mutation($s: ID!) { shipShipment(input: { shipmentId: $s, trackingNumber: "TRK-3" }) { status } }`, {
      s: replacementReady.shipments.find((s: any) => s.status === 'READY').id,
    });
    expect(await order(replacement.id)).toMatchObject({ status: 'SHIPPED', invoicingStatus: 'NOT_INVOICED' });
    expect(await stock()).toMatchObject({ onHand: 0, reserved: 0, available: 0, onLoan: 0, reservedByAllocations: 0 });

    // Money: invoiced 62.50, credited 12.50, exactly.
    const [money] = (
      await db.query(`select (select sum(gross_total) from invoice)::text as invoiced, (select sum(gross_total) from credit_note)::text as credited`)
    ).rows;
    expect({ invoiced: Number(money.invoiced), credited: Number(money.credited) }).toEqual({ invoiced: 62.5, credited: 12.5 });
    const timeline = types(await order(quote.id));
    const steps = [
      'QUOTE_CREATED',
      'QUOTE_CONFIRMED',
      'PLACED',
      'SHIPPED',
      'INVOICE_ISSUED',
      'SHIPPED',
      'INVOICE_ISSUED',
      'RETURN_AUTHORISED',
      'RETURN_RECEIVED',
      'CREDIT_NOTE_ISSUED',
      'EXCHANGE_CREATED',
    ];
    let at = -1;
    for (const step of steps) {
      at = timeline.indexOf(step, at + 1);
      expect(at, `${step} in order on ${timeline.join(', ')}`).toBeGreaterThanOrEqual(0);
    }
    await booksBalance();

    // The ERP heard the invoices, the credit note and the receipt, each signed.
    const heard = await h.waitFor(
      () => {
        const got = receiver.at('/erp').map((r) => String(r.headers[WEBHOOK_HEADERS.eventType]));
        return HEARD.every((t) => got.includes(t)) && got.filter((t) => t === 'INVOICE_ISSUED').length >= 2 ? receiver.at('/erp') : null;
      },
      'the webhooks',
      30_000,
    );
    for (const r of heard) {
      expect(
        verifyWebhookSignature({
          secret,
          body: r.body,
          timestamp: r.headers[WEBHOOK_HEADERS.timestamp] as string,
          signature: r.headers[WEBHOOK_HEADERS.signature] as string,
        }),
      ).toBe(true);
      expect(JSON.parse(r.body).data.orderId).toBe(quote.id);
    }
    expect(new Set(heard.map((r) => String(r.headers[WEBHOOK_HEADERS.eventType])))).toEqual(new Set(HEARD));
  });
});
