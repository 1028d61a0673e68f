import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../src/events/topics';
import { invoiceShipments } from '../../src/invoicing/issue-invoice';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';

const INVOICE_FIELDS = `id number kind status customerId currency issuedBy paidAt netTotal taxTotal grossTotal creditedNet creditedTax creditedGross
  shipmentIds orderIds lines { id lineNo orderId shipmentId sku description unitPrice quantity taxRate lineNet tax lineGross creditedQuantity }
  creditNotes { number grossTotal }`;
const CREDIT_FIELDS = `id number invoiceId reason returnId netTotal taxTotal grossTotal lines { invoiceLineId sku quantity lineNet tax lineGross }
  invoice { number status creditedGross }`;
const ORDER = `query($id: ID!) { order(id: $id) { id version status invoicingStatus taxRate
  lines { sku quantity backorderedQuantity shippedQuantity }
  shipments { id status invoicingStatus invoice { number } lines { sku quantity } }
  invoices { number } events { type message } } }`;
const INVOICE_SHIPMENT = `mutation($input: InvoiceShipmentInput!) { invoiceShipment(input: $input) { ${INVOICE_FIELDS} } }`;
const CONSOLIDATE = `mutation($input: ConsolidatedInvoiceInput!) { issueConsolidatedInvoice(input: $input) { ${INVOICE_FIELDS} } }`;
const CREDIT = `mutation($input: CreditNoteInput!) { issueCreditNote(input: $input) { ${CREDIT_FIELDS} } }`;
const INVOICE = `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`;

/** Invoicing through the API with the worker running: shipments are allocated, shipped, then invoiced and credited. */
describe('invoices and credit notes through the API', () => {
  let h: Harness;
  let n = 0;
  let accounting: string;

  beforeAll(async () => {
    h = await Harness.start();
    accounting = h.token('accounting');
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Enamel mug", taxRate: "25" }) { sku taxRate } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "PLATE", name: "Plate", taxRate: "12.5" }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "BOWL", name: "Bowl" }) { sku } }`);
  });
  afterAll(async () => h?.stop());

  const adjust = (sku: string, delta: number) =>
    h.ok(`mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
      input: { sku, warehouseCode: 'EAST', delta, reason: 'count' },
    });
  const order = async (id: string) => (await h.ok(ORDER, { id })).order;
  const waitForOrder = (id: string, test: (o: any) => boolean, what: string) =>
    h.waitFor(async () => {
      const o = await order(id);
      return test(o) ? o : null;
    }, what);
  const ready = (o: any) => o.status !== 'PENDING' && o.shipments.some((s: any) => s.status === 'READY');
  const place = async (
    customerId: string,
    lines: Array<{ sku: string; quantity: number; unitPrice: string }>,
    extra: Record<string, unknown> = {},
  ) => {
    const input = { idempotencyKey: `inv-${++n}`, customerId, channel: 'web', currency: 'EUR', shipToRegion: 'EU', lines, ...extra };
    const { placeOrder } = await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, { input });
    return waitForOrder(placeOrder.id, ready, `order ${placeOrder.id} to have a READY shipment`);
  };
  /** Ships every READY shipment of the order; returns the ids shipped. */
  const shipReady = async (o: any): Promise<string[]> => {
    const ids = o.shipments.filter((s: any) => s.status === 'READY').map((s: any) => s.id);
    for (const id of ids) await h.ok(`mutation($id: ID!) { shipShipment(input: { shipmentId: $id }) { status } }`, { id });
    return ids;
  };
  const invoiceOf = async (shipmentIds: string[], extra: Record<string, unknown> = {}) =>
    (await h.ok(INVOICE_SHIPMENT, { input: { shipmentIds, ...extra } }, accounting)).invoiceShipment;
  const serial = (number: string) => Number(number.split('-')[2]);

  let firstOrder: any;
  let firstInvoice: any;

  it('invoices a shipped shipment: lines with tax per product, the rest of the order stays open as the backorder', async () => {
    await adjust('MUG', 7);
    await adjust('PLATE', 2);
    const placed = await place('c-inv', [
      { sku: 'MUG', quantity: 10, unitPrice: '12.50' },
      { sku: 'PLATE', quantity: 2, unitPrice: '4' },
    ]);
    const [shipmentId] = await shipReady(placed);
    const before = await order(placed.id);
    expect(before).toMatchObject({ status: 'PARTIALLY_SHIPPED', invoicingStatus: 'NOT_INVOICED', invoices: [] });
    expect(before.shipments.find((s: any) => s.id === shipmentId)).toMatchObject({ invoicingStatus: 'UNINVOICED', invoice: null });

    const invoice = await invoiceOf([shipmentId]);
    expect(invoice).toMatchObject({
      kind: 'SHIPMENT',
      status: 'ISSUED',
      customerId: 'c-inv',
      currency: 'EUR',
      paidAt: null,
      issuedBy: expect.stringContaining('accounting'),
      netTotal: '95.5',
      taxTotal: '22.88',
      grossTotal: '118.38',
      creditedGross: '0',
      shipmentIds: [shipmentId],
      orderIds: [placed.id],
      creditNotes: [],
    });
    expect(invoice.number).toMatch(/^INV-\d{4}-000001$/);
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        sku: 'MUG',
        description: 'Enamel mug',
        unitPrice: '12.5',
        quantity: 7,
        taxRate: '25',
        lineNet: '87.5',
        tax: '21.88',
        lineGross: '109.38',
        creditedQuantity: 0,
      }),
      expect.objectContaining({
        lineNo: 2,
        sku: 'PLATE',
        description: 'Plate',
        unitPrice: '4',
        quantity: 2,
        taxRate: '12.5',
        lineNet: '8',
        tax: '1',
        lineGross: '9',
      }),
    ]);

    const after = await order(placed.id);
    expect(after).toMatchObject({
      status: 'PARTIALLY_SHIPPED',
      invoicingStatus: 'PARTLY_INVOICED',
      invoices: [{ number: invoice.number }],
      version: before.version + 1,
    });
    expect(after.lines.find((l: any) => l.sku === 'MUG')).toMatchObject({ shippedQuantity: 7, backorderedQuantity: 3 });
    expect(after.shipments.find((s: any) => s.id === shipmentId)).toMatchObject({ invoicingStatus: 'INVOICED', invoice: { number: invoice.number } });
    expect(after.events.at(-1)).toMatchObject({ type: 'INVOICE_ISSUED' });
    expect(after.events.at(-1).message).toContain(invoice.number);
    firstOrder = after;
    firstInvoice = invoice;
  });

  it('refuses an already invoiced shipment, an unshipped one, unknown ones and shipments of two orders, changing nothing', async () => {
    const again = await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [firstInvoice.shipmentIds[0]] } }, accounting);
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors![0].message).toContain(firstInvoice.number);

    await adjust('MUG', 3);
    const rest = await waitForOrder(firstOrder.id, (o) => o.shipments.some((s: any) => s.status === 'READY'), 'the backorder to be allocated');
    const readyId = rest.shipments.find((s: any) => s.status === 'READY').id;
    expect(errorCode(await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [readyId] } }, accounting))).toBe('CONFLICT');
    expect(errorCode(await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: ['00000000-0000-4000-8000-000000000000'] } }, accounting))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [] } }, accounting))).toBe('BAD_USER_INPUT');
    const stale = await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [readyId], expectedVersion: 1 } }, accounting);
    expect(errorCode(stale)).toBe('CONFLICT');
    // Customer service may read invoices but not issue them.
    expect(errorCode(await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [readyId] } }, h.token('service')))).toBe('FORBIDDEN');

    const [{ count }] = await h.orm.em.fork().execute(`select count(*)::int as count from invoice`);
    expect(count).toBe(1);
    const now = await order(firstOrder.id);
    expect(now.invoices).toEqual([{ number: firstInvoice.number }]);
  });

  it('a cash sale is paid on issue', async () => {
    await adjust('BOWL', 2);
    const placed = await place('c-cash', [{ sku: 'BOWL', quantity: 2, unitPrice: '9.99' }]);
    const ids = await shipReady(placed);
    const invoice = await invoiceOf(ids, { cashSale: true });
    expect(invoice).toMatchObject({ status: 'PAID', taxTotal: '0', grossTotal: '19.98' });
    expect(invoice.paidAt).not.toBeNull();
    expect(serial(invoice.number)).toBe(serial(firstInvoice.number) + 1);
    expect((await order(placed.id)).invoicingStatus).toBe('INVOICED');
  });

  let consolidated: any;

  it('consolidates every uninvoiced shipment of a customer into one invoice per currency, with an order rate over the product rate', async () => {
    const rest = await order(firstOrder.id);
    const [restShipment] = await shipReady(rest);
    await adjust('MUG', 2);
    const second = await place('c-inv', [{ sku: 'MUG', quantity: 2, unitPrice: '12.50' }], { taxRate: '10' });
    expect(second.taxRate).toBe('10');
    const [secondShipment] = await shipReady(second);
    await adjust('BOWL', 1);
    const inNok = await place('c-inv', [{ sku: 'BOWL', quantity: 1, unitPrice: '100' }], { currency: 'NOK' });
    await shipReady(inNok);

    const twoOrders = await h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: [restShipment, secondShipment] } }, accounting);
    expect(errorCode(twoOrders)).toBe('BAD_USER_INPUT');
    const mixed = await h.gql(CONSOLIDATE, { input: { customerId: 'c-inv' } }, accounting);
    expect(errorCode(mixed)).toBe('BAD_USER_INPUT');
    expect(mixed.errors![0].extensions!.details).toMatchObject({ field: 'currency', currencies: ['EUR', 'NOK'] });
    expect(errorCode(await h.gql(CONSOLIDATE, { input: { customerId: 'c-inv', currency: 'EUR', upTo: '2000-01-01T00:00:00Z' } }, accounting))).toBe(
      'CONFLICT',
    );

    const feed = await h.subscribe(`subscription { orderEvents { orderId type message } }`, {}, topics(h.config.redisPrefix).orderEvents);
    consolidated = (await h.ok(CONSOLIDATE, { input: { customerId: 'c-inv', currency: 'EUR' } }, accounting)).issueConsolidatedInvoice;
    // Through the outbox to the subscriptions, one event per order on the invoice.
    await h.waitFor(
      () =>
        [firstOrder.id, second.id].every((id) => feed.received.some((e) => e.orderEvents.orderId === id && e.orderEvents.type === 'INVOICE_ISSUED')),
      'INVOICE_ISSUED of both orders on orderEvents',
    );
    expect(consolidated).toMatchObject({
      kind: 'CONSOLIDATED',
      currency: 'EUR',
      netTotal: '62.5',
      taxTotal: '11.88',
      grossTotal: '74.38',
      status: 'ISSUED',
    });
    expect([...consolidated.orderIds].sort()).toEqual([firstOrder.id, second.id].sort());
    expect([...consolidated.shipmentIds].sort()).toEqual([restShipment, secondShipment].sort());
    expect(consolidated.lines.map((l: any) => [l.orderId, l.quantity, l.taxRate, l.tax])).toEqual([
      [firstOrder.id, 3, '25', '9.38'],
      [second.id, 2, '10', '2.5'],
    ]);
    for (const id of [firstOrder.id, second.id]) {
      const o = await order(id);
      expect(o.invoicingStatus).toBe('INVOICED');
      expect(o.events.at(-1)).toMatchObject({ type: 'INVOICE_ISSUED' });
      expect(o.events.at(-1).message).toContain(consolidated.number);
    }
    expect((await order(inNok.id)).invoicingStatus).toBe('NOT_INVOICED');

    const nok = (await h.ok(CONSOLIDATE, { input: { customerId: 'c-inv', currency: 'NOK', cashSale: true } }, accounting)).issueConsolidatedInvoice;
    expect(nok).toMatchObject({ currency: 'NOK', grossTotal: '100', status: 'PAID', orderIds: [inNok.id] });
    expect(errorCode(await h.gql(CONSOLIDATE, { input: { customerId: 'c-inv' } }, accounting))).toBe('CONFLICT');
  });

  it('credits an invoice per line and then whole: credited amounts add up to the invoice exactly, over-crediting is refused', async () => {
    const mug = firstInvoice.lines.find((l: any) => l.sku === 'MUG');
    const plate = firstInvoice.lines.find((l: any) => l.sku === 'PLATE');
    // A returnId must name a return of an order this invoice bills (test/e2e/order-whole-life.test.ts refunds one).
    const noSuchReturn = await h.gql(
      CREDIT,
      {
        input: { invoiceId: firstInvoice.id, lines: [{ sku: 'MUG', quantity: 1 }], reason: 'x', returnId: '11111111-1111-4111-8111-111111111111' },
      },
      accounting,
    );
    expect(errorCode(noSuchReturn)).toBe('NOT_FOUND');
    const one = (
      await h.ok(CREDIT, { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'MUG', quantity: 1 }], reason: 'one mug broken' } }, accounting)
    ).issueCreditNote;
    expect(one).toMatchObject({
      invoiceId: firstInvoice.id,
      reason: 'one mug broken',
      returnId: null,
      netTotal: '12.5',
      taxTotal: '3.13',
      grossTotal: '15.63',
    });
    expect(one.number).toMatch(/^CN-\d{4}-000001$/);
    expect(one.lines).toEqual([{ invoiceLineId: mug.id, sku: 'MUG', quantity: 1, lineNet: '12.5', tax: '3.13', lineGross: '15.63' }]);
    expect(one.invoice).toMatchObject({ number: firstInvoice.number, status: 'PARTLY_CREDITED', creditedGross: '15.63' });

    const plateNote = (
      await h.ok(CREDIT, { input: { invoiceId: firstInvoice.id, lines: [{ invoiceLineId: plate.id, quantity: 1 }], reason: 'chipped' } }, accounting)
    ).issueCreditNote;
    expect(plateNote).toMatchObject({ netTotal: '4', taxTotal: '0.5', grossTotal: '4.5' });

    const notesBefore = (await h.orm.em.fork().execute(`select count(*)::int as count from credit_note`))[0].count;
    const over = await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'MUG', quantity: 7 }], reason: 'too many' } }, accounting);
    expect(errorCode(over)).toBe('CONFLICT');
    expect(over.errors![0].extensions!.details).toMatchObject({ uncreditedQuantity: 6 });
    expect(
      errorCode(await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, lines: [{ sku: 'BOWL', quantity: 1 }], reason: 'x' } }, accounting)),
    ).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, lines: [{ quantity: 1 }], reason: 'x' } }, accounting))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, reason: '   ' } }, accounting))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(CREDIT, { input: { invoiceId: '00000000-0000-4000-8000-000000000000', reason: 'x' } }, accounting))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, reason: 'x' } }, h.token('service')))).toBe('FORBIDDEN');
    expect((await h.orm.em.fork().execute(`select count(*)::int as count from credit_note`))[0].count).toBe(notesBefore);

    const rest = (await h.ok(CREDIT, { input: { invoiceId: firstInvoice.id, reason: 'order returned' } }, accounting)).issueCreditNote;
    expect(rest.lines.map((l: any) => [l.sku, l.quantity, l.tax])).toEqual([
      ['MUG', 6, '18.75'],
      ['PLATE', 1, '0.5'],
    ]);
    expect(rest).toMatchObject({ netTotal: '79', taxTotal: '19.25', grossTotal: '98.25' });
    expect(serial(rest.number)).toBe(serial(one.number) + 2);
    const credited = (await h.ok(INVOICE, { id: firstInvoice.id })).invoice;
    expect(credited).toMatchObject({ status: 'CREDITED', creditedNet: '95.5', creditedTax: '22.88', creditedGross: '118.38' });
    expect(credited.creditNotes.map((c: any) => c.number)).toEqual([one.number, plateNote.number, rest.number]);
    expect(credited.lines.map((l: any) => l.creditedQuantity)).toEqual([7, 2]);
    expect(errorCode(await h.gql(CREDIT, { input: { invoiceId: firstInvoice.id, reason: 'again' } }, accounting))).toBe('CONFLICT');
    const events = (await order(firstOrder.id)).events.filter((e: any) => e.type === 'CREDIT_NOTE_ISSUED');
    expect(events.map((e: any) => e.message.split(' ')[2])).toEqual([one.number, plateNote.number, rest.number]);
  });

  it('customers read their own invoices and credit notes only; lists filter by customer, order and status', async () => {
    const own = h.token('customer', 'c-inv');
    const other = h.token('customer', 'c-other');
    expect((await h.ok(INVOICE, { id: firstInvoice.id }, own)).invoice.number).toBe(firstInvoice.number);
    expect(errorCode(await h.gql(INVOICE, { id: firstInvoice.id }, other))).toBe('FORBIDDEN');
    const listed = (await h.ok(`{ invoices { totalCount edges { node { number customerId } } } }`, {}, own)).invoices;
    expect(listed.totalCount).toBe(3);
    expect(listed.edges.every((e: any) => e.node.customerId === 'c-inv')).toBe(true);
    expect(errorCode(await h.gql(`{ invoices(filter: { customerId: "c-inv" }) { totalCount } }`, {}, other))).toBe('FORBIDDEN');
    expect((await h.ok(`{ invoices { totalCount } }`, {}, other)).invoices.totalCount).toBe(0);
    const byStatus = (await h.ok(`{ invoices(filter: { status: CREDITED }) { edges { node { number } } } }`, {}, accounting)).invoices;
    expect(byStatus.edges.map((e: any) => e.node.number)).toEqual([firstInvoice.number]);
    const byOrder = (
      await h.ok(`query($id: ID!) { invoices(filter: { orderId: $id }) { edges { node { number } } } }`, { id: firstOrder.id }, h.token('service'))
    ).invoices;
    expect(byOrder.edges.map((e: any) => e.node.number)).toEqual([consolidated.number, firstInvoice.number]);
    const paged = (await h.ok(`{ invoices(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { number } } } }`, {}, accounting))
      .invoices;
    expect(paged.edges).toHaveLength(2);
    expect(paged.pageInfo.hasNextPage).toBe(true);
    const [note] = (await h.ok(INVOICE, { id: firstInvoice.id }, own)).invoice.creditNotes;
    const noteId = (await h.orm.em.fork().execute(`select id from credit_note where number = ?`, [note.number]))[0].id;
    expect((await h.ok(`query($id: ID!) { creditNote(id: $id) { number } }`, { id: noteId }, own)).creditNote.number).toBe(note.number);
    expect(errorCode(await h.gql(`query($id: ID!) { creditNote(id: $id) { number } }`, { id: noteId }, other))).toBe('FORBIDDEN');
    expect(errorCode(await h.gql(INVOICE, { id: firstInvoice.id }, h.token('storefront')))).toBe('FORBIDDEN');
  });

  it('numbers are gap-free and unique under concurrent issues, also when an issuing transaction fails and rolls back', async () => {
    const customers = Array.from({ length: 8 }, (_, i) => `c-num-${i}`);
    await adjust('BOWL', customers.length);
    const shipments: string[] = [];
    for (const customer of customers) shipments.push(...(await shipReady(await place(customer, [{ sku: 'BOWL', quantity: 1, unitPrice: '5' }]))));
    const [{ last }] = await h.orm.em.fork().execute(`select max(number) as last from invoice`);
    const failing = shipments.slice(0, 2);
    const results = await Promise.allSettled([
      ...shipments.slice(2).map((id) => invoiceOf([id])),
      // Real issues that take their number and then fail: their transactions roll back, numbers included.
      ...failing.map((id) =>
        h.orm.em.fork().transactional(async (em) => {
          await invoiceShipments(em, { shipmentIds: [id] }, { name: 'test' });
          throw new Error('the issuing transaction fails after taking its number');
        }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
    expect(results.filter((r) => r.status === 'rejected').map((r: any) => r.reason.message)).toEqual([
      'the issuing transaction fails after taking its number',
      'the issuing transaction fails after taking its number',
    ]);
    for (const id of failing) shipments.push((await invoiceOf([id])).shipmentIds[0]);
    const numbers: string[] = (await h.orm.em.fork().execute(`select number from invoice where number > ? order by number`, [last])).map(
      (r: any) => r.number,
    );
    expect(numbers).toHaveLength(8);
    expect(numbers.map(serial)).toEqual(Array.from({ length: 8 }, (_, i) => serial(last) + 1 + i));
  });

  it('no operation changes an issued invoice or credit note: rows compared before and after every mutation that could touch them', async () => {
    await adjust('PLATE', 3);
    const placed = await place('c-immutable', [{ sku: 'PLATE', quantity: 5, unitPrice: '4' }]);
    const invoice = await invoiceOf(await shipReady(placed));
    await h.ok(
      CREDIT,
      { input: { invoiceId: invoice.id, lines: [{ invoiceLineId: invoice.lines[0].id, quantity: 1 }], reason: 'before the snapshot' } },
      accounting,
    );
    const db = () => h.orm.em.fork();
    // The credit notes issued so far: later ones are new rows, not changes.
    const noteIds = JSON.stringify((await db().execute(`select id from credit_note where invoice_id = ?`, [invoice.id])).map((r: any) => r.id));
    const rows = async () => {
      const [row] = await db().execute(
        `select (select t::text from invoice t where t.id = ?) as invoice,
                (select string_agg(t::text, '|' order by t.id) from invoice_line t where t.invoice_id = ?) as lines,
                (select string_agg(t::text, '|' order by t.shipment_id) from invoice_shipment t where t.invoice_id = ?) as shipments,
                (select string_agg(t::text, '|' order by t.id) from credit_note t where t.id in (select jsonb_array_elements_text(?::jsonb)::uuid)) as notes,
                (select string_agg(t::text, '|' order by t.id) from credit_note_line t
                  where t.credit_note_id in (select jsonb_array_elements_text(?::jsonb)::uuid)) as note_lines`,
        [invoice.id, invoice.id, invoice.id, noteIds, noteIds],
      );
      return row;
    };
    const snapshot = await rows();
    expect(snapshot.invoice).toContain(invoice.number);
    expect(snapshot.notes).toContain('before the snapshot');
    const version = async () => (await order(placed.id)).version;
    const service = h.token('service');
    const steps: Array<[string, () => Promise<unknown>]> = [
      [
        'a partial credit note',
        () => h.ok(CREDIT, { input: { invoiceId: invoice.id, lines: [{ sku: 'PLATE', quantity: 1 }], reason: 'partial' } }, accounting),
      ],
      ['invoicing the same shipment again (refused)', () => h.gql(INVOICE_SHIPMENT, { input: { shipmentIds: invoice.shipmentIds } }, accounting)],
      [
        'changing the product (name, tax rate)',
        () => h.ok(`mutation { upsertProduct(input: { sku: "PLATE", name: "Renamed plate", taxRate: "20" }) { sku } }`),
      ],
      ['a stock adjustment serving the backorder', () => adjust('PLATE', 1)],
      ['shipping the rest', async () => shipReady(await waitForOrder(placed.id, ready, 'the rest to be allocated'))],
      ['a consolidated invoice of the rest', () => h.ok(CONSOLIDATE, { input: { customerId: 'c-immutable' } }, accounting)],
      [
        'updateOrder',
        async () =>
          h.ok(
            `mutation($input: UpdateOrderInput!) { updateOrder(input: $input) { version } }`,
            { input: { orderId: placed.id, expectedVersion: await version(), priority: 'HIGH' } },
            service,
          ),
      ],
      [
        'addOrderNote',
        async () =>
          h.ok(
            `mutation($id: ID!, $v: Int!) { addOrderNote(orderId: $id, expectedVersion: $v, text: "note") { version } }`,
            { id: placed.id, v: await version() },
            service,
          ),
      ],
      [
        'reallocateOrder',
        async () =>
          h.gql(
            `mutation($id: ID!, $v: Int!) { reallocateOrder(orderId: $id, expectedVersion: $v) { version } }`,
            { id: placed.id, v: await version() },
            service,
          ),
      ],
      ['cancelOrderLine', () => h.gql(`mutation($id: ID!) { cancelOrderLine(orderId: $id, sku: "PLATE") { version } }`, { id: placed.id }, service)],
      [
        'cancelOrder',
        async () =>
          h.gql(
            `mutation($id: ID!, $v: Int!) { cancelOrder(orderId: $id, expectedVersion: $v, reason: "r") { version } }`,
            { id: placed.id, v: await version() },
            service,
          ),
      ],
      ['a whole credit note of the rest', () => h.ok(CREDIT, { input: { invoiceId: invoice.id, reason: 'the rest' } }, accounting)],
      ['a credit note over what is left (refused)', () => h.gql(CREDIT, { input: { invoiceId: invoice.id, reason: 'again' } }, accounting)],
      [
        'another order of the customer',
        () =>
          h.ok(
            `mutation { placeOrder(input: { idempotencyKey: "imm-2", customerId: "c-immutable", channel: "web", currency: "EUR", shipToRegion: "EU", lines: [{ sku: "PLATE", quantity: 1, unitPrice: "4" }] }) { id } }`,
          ),
      ],
    ];
    for (const [what, run] of steps) {
      await run();
      expect(await rows(), `after ${what}`).toEqual(snapshot);
    }
    const after = (await h.ok(INVOICE, { id: invoice.id })).invoice;
    expect(after).toMatchObject({
      status: 'CREDITED',
      netTotal: invoice.netTotal,
      grossTotal: invoice.grossTotal,
      creditedGross: invoice.grossTotal,
    });

    // The database itself refuses, whatever the application does.
    for (const statement of [
      `update invoice set gross_total = 0 where id = '${invoice.id}'`,
      `update invoice set paid_at = now() where id = '${invoice.id}'`,
      `delete from invoice_line where invoice_id = '${invoice.id}'`,
      `delete from invoice_shipment where invoice_id = '${invoice.id}'`,
      `update credit_note set reason = 'x' where invoice_id = '${invoice.id}'`,
      `delete from credit_note_line`,
      `truncate invoice cascade`,
    ]) {
      await expect(db().execute(statement), statement).rejects.toThrow(/immutable/);
    }
    expect(await rows()).toEqual(snapshot);
  });

  it('two whole credit notes of one invoice at once: one is issued, the other is a CONFLICT, and nothing is credited twice', async () => {
    await adjust('BOWL', 2);
    const invoice = await invoiceOf(await shipReady(await place('c-race', [{ sku: 'BOWL', quantity: 2, unitPrice: '7.5' }])));
    const results = await Promise.all([1, 2].map((i) => h.gql(CREDIT, { input: { invoiceId: invoice.id, reason: `race ${i}` } }, accounting)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(1);
    const after = (await h.ok(INVOICE, { id: invoice.id })).invoice;
    expect(after).toMatchObject({ status: 'CREDITED', creditedGross: '15', creditNotes: [expect.objectContaining({ grossTotal: '15' })] });
  });
});
