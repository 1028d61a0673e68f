import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, integrityChecks } from '../../tools/bench/database';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';

const INVOICE_FIELDS = `id number kind status customerId currency paidAt netTotal taxTotal grossTotal creditedGross shipmentIds orderIds
  loan { id reference } lines { id lineNo orderId orderLineId shipmentId sku description unitPrice quantity taxRate lineNet tax lineGross creditedQuantity }`;
const INVOICE_LOAN = `mutation($input: InvoiceLoanInput!) { invoiceLoan(input: $input) { ${INVOICE_FIELDS} } }`;
const LOAN = `id number status version orderId lines { sku quantity returnedQuantity soldQuantity outstandingQuantity } events { type message }`;
const CREDIT = `mutation($input: CreditNoteInput!) { issueCreditNote(input: $input) { number netTotal taxTotal grossTotal invoice { status creditedGross } } }`;

/** A loan ends by being invoiced: invoiceLoan through the API, with the worker running. */
describe('invoicing a loan through the API', () => {
  let h: Harness;
  let db: Client;
  let accounting: string;

  const stock = async (sku: string) =>
    (await h.ok(`query($sku: String!) { stockLevels(sku: $sku) { onHand reserved onLoan available } }`, { sku })).stockLevels[0];
  const loanOf = async (id: string) => (await h.ok(`query($id: ID!) { loan(id: $id) { ${LOAN} } }`, { id })).loan;
  const lend = async (customerId: string, lines: Array<{ sku: string; quantity: number }>, orderId?: string) =>
    (
      await h.ok(`mutation($input: LendStockInput!) { lendStock(input: $input) { ${LOAN} } }`, {
        input: { customerId, warehouseCode: 'EAST', lines, reason: 'trial', orderId },
      })
    ).lendStock;
  const invoiceLoan = (input: Record<string, unknown>, token = accounting) => h.gql(INVOICE_LOAN, { input }, token);
  const booksBalance = async () => {
    await h.waitFor(async () => (await db.query(`select count(*)::int as n from allocation_request`)).rows[0].n === 0, 'the allocator to catch up');
    expect((await integrityChecks(db)).filter((c) => !c.ok)).toEqual([]);
  };
  /** Everything a refused invoiceLoan could have touched. */
  const state = async (loanId: string, skus: string[], orderId?: string) => ({
    stock: await Promise.all(skus.map(stock)),
    loan: await loanOf(loanId),
    rows: (
      await db.query(`select (select count(*)::int from invoice) as invoices, (select count(*)::int from invoice_line) as lines,
                                  (select coalesce(json_agg(c order by c.series), '[]') from document_counter c) as counters,
                                  (select count(*)::int from order_event) as order_events, (select count(*)::int from outbox_message) as outbox`)
    ).rows[0],
    order: orderId ? (await h.ok(`query($id: ID!) { order(id: $id) { version events { type } } }`, { id: orderId })).order : null,
  });

  beforeAll(async () => {
    h = await Harness.start();
    db = await connect(h.config.databaseUrl, 'loan-invoices-test');
    accounting = h.token('accounting');
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "DEMO", name: "Demo espresso machine", taxRate: "25" }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "KIT", name: "Cleaning kit" }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Mug" }) { sku } }`);
    for (const [sku, delta] of [
      ['DEMO', 6],
      ['KIT', 5],
    ] as const) {
      await h.ok(`mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
        input: { sku, warehouseCode: 'EAST', delta, reason: 'count' },
      });
    }
  });
  afterAll(async () => {
    await db?.end();
    await h?.stop();
  });

  it('refuses bad input with its contract code and changes nothing', async () => {
    const loan = await lend('c-refused', [
      { sku: 'DEMO', quantity: 2 },
      { sku: 'KIT', quantity: 1 },
    ]);
    await booksBalance();
    const base = { loanId: loan.id, expectedVersion: 1, currency: 'EUR', lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '100' }] };
    const before = await state(loan.id, ['DEMO', 'KIT']);
    const refusals: Array<[string, Record<string, unknown>, string, string?]> = [
      ['an unknown loan', { ...base, loanId: randomUUID() }, 'NOT_FOUND'],
      ['a loan id that is no id', { ...base, loanId: 'LN-1' }, 'NOT_FOUND'],
      ['more units than are out', { ...base, lines: [{ sku: 'DEMO', quantity: 3, unitPrice: '100' }] }, 'BAD_USER_INPUT'],
      ['a SKU not on the loan', { ...base, lines: [{ sku: 'MUG', quantity: 1, unitPrice: '1' }] }, 'BAD_USER_INPUT'],
      ['a SKU that is no product', { ...base, lines: [{ sku: 'NOPE', quantity: 1, unitPrice: '1' }] }, 'BAD_USER_INPUT'],
      ['a zero quantity', { ...base, lines: [{ sku: 'DEMO', quantity: 0, unitPrice: '100' }] }, 'BAD_USER_INPUT'],
      ['a negative quantity', { ...base, lines: [{ sku: 'DEMO', quantity: -1, unitPrice: '100' }] }, 'BAD_USER_INPUT'],
      ['no lines', { ...base, lines: [] }, 'BAD_USER_INPUT'],
      [
        'one SKU twice',
        {
          ...base,
          lines: [
            { sku: 'DEMO', quantity: 1, unitPrice: '100' },
            { sku: 'DEMO', quantity: 1, unitPrice: '90' },
          ],
        },
        'BAD_USER_INPUT',
      ],
      ['a negative price', { ...base, lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '-1' }] }, 'BAD_USER_INPUT'],
      ['a price finer than the currency', { ...base, lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '1.005' }] }, 'BAD_USER_INPUT'],
      ['a price in yen with decimals', { ...base, currency: 'JPY', lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '1.5' }] }, 'BAD_USER_INPUT'],
      ['a price that is no number', { ...base, lines: [{ sku: 'DEMO', quantity: 1, unitPrice: 'ten' }] }, 'BAD_USER_INPUT'],
      ['a currency that is no ISO code', { ...base, currency: 'euro' }, 'BAD_USER_INPUT'],
      ['a tax rate over 100', { ...base, taxRate: '101' }, 'BAD_USER_INPUT'],
      ['a stale version', { ...base, expectedVersion: 2 }, 'CONFLICT'],
      ['customer service', base, 'FORBIDDEN', h.token('service')],
      ['the customer itself', base, 'FORBIDDEN', h.token('customer', 'c-refused')],
    ];
    for (const [what, input, code, token] of refusals) {
      const answer = await invoiceLoan(input, token ?? accounting);
      expect(errorCode(answer), what).toBe(code);
    }
    expect(await state(loan.id, ['DEMO', 'KIT'])).toEqual(before);
    await booksBalance();
  });

  it('sells part of a loan, credits a line, then sells the rest as a cash sale: units leave stock, numbers stay gap-free', async () => {
    const loan = await lend('c-loan', [
      { sku: 'DEMO', quantity: 3 },
      { sku: 'KIT', quantity: 2 },
    ]);
    const lentStock = { demo: await stock('DEMO'), kit: await stock('KIT') };
    const counter = async () =>
      (await db.query(`select coalesce(sum(last_number), 0)::int as n from document_counter where series like 'INV-%'`)).rows[0].n;
    const numberBefore = await counter();

    const partial = (
      await h.ok(
        INVOICE_LOAN,
        {
          input: { loanId: loan.id, expectedVersion: 1, currency: 'EUR', lines: [{ sku: 'DEMO', quantity: 2, unitPrice: '19.99' }] },
        },
        accounting,
      )
    ).invoiceLoan;
    // 2 × 19.99 = 39.98; 25 % of it is 9.995, rounded half up per line to 10.00.
    expect(partial).toMatchObject({
      kind: 'LOAN',
      status: 'ISSUED',
      customerId: 'c-loan',
      currency: 'EUR',
      paidAt: null,
      loan: { id: loan.id, reference: loan.number },
      netTotal: '39.98',
      taxTotal: '10',
      grossTotal: '49.98',
      shipmentIds: [],
      orderIds: [],
    });
    expect(partial.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        orderId: null,
        orderLineId: null,
        shipmentId: null,
        sku: 'DEMO',
        description: 'Demo espresso machine',
        unitPrice: '19.99',
        quantity: 2,
        taxRate: '25',
        lineNet: '39.98',
        tax: '10',
        lineGross: '49.98',
        creditedQuantity: 0,
      }),
    ]);
    expect(Number(partial.number.split('-')[2])).toBe(numberBefore + 1);
    expect(await counter()).toBe(numberBefore + 1);
    const open = await loanOf(loan.id);
    expect(open).toMatchObject({ status: 'OPEN', version: 2 });
    expect(open.lines).toEqual([
      { sku: 'DEMO', quantity: 3, returnedQuantity: 0, soldQuantity: 2, outstandingQuantity: 1 },
      { sku: 'KIT', quantity: 2, returnedQuantity: 0, soldQuantity: 0, outstandingQuantity: 2 },
    ]);
    expect(open.events.at(-1)).toMatchObject({
      type: 'LOAN_SOLD',
      message: expect.stringContaining(`2 × DEMO sold to the customer on invoice ${partial.number}`),
    });
    // Sold units leave stock: on loan falls, on hand does not rise, available does not move.
    expect(await stock('DEMO')).toEqual({ ...lentStock.demo, onLoan: lentStock.demo.onLoan - 2 });
    expect(await stock('KIT')).toEqual(lentStock.kit);
    await booksBalance();

    // Its version moved: the one the caller saw before is stale.
    expect(
      errorCode(await invoiceLoan({ loanId: loan.id, expectedVersion: 1, currency: 'EUR', lines: [{ sku: 'KIT', quantity: 1, unitPrice: '5' }] })),
    ).toBe('CONFLICT');

    // A credit note works as on any invoice; it changes neither the loan nor the stock.
    const note = (
      await h.ok(
        CREDIT,
        { input: { invoiceId: partial.id, lines: [{ invoiceLineId: partial.lines[0].id, quantity: 1 }], reason: 'scratched' } },
        accounting,
      )
    ).issueCreditNote;
    expect(note).toMatchObject({
      netTotal: '19.99',
      taxTotal: '5',
      grossTotal: '24.99',
      invoice: { status: 'PARTLY_CREDITED', creditedGross: '24.99' },
    });
    expect(
      errorCode(await h.gql(CREDIT, { input: { invoiceId: partial.id, lines: [{ sku: 'DEMO', quantity: 2 }], reason: 'too many' } }, accounting)),
    ).toBe('CONFLICT');
    expect(await loanOf(loan.id)).toMatchObject({ status: 'OPEN', version: 2 });

    // The rest, with one rate over every line, paid on issue: the loan is closed and nothing is on loan any more.
    const rest = (
      await h.ok(
        INVOICE_LOAN,
        {
          input: {
            loanId: loan.id,
            expectedVersion: 2,
            currency: 'EUR',
            taxRate: '10',
            cashSale: true,
            lines: [
              { sku: 'KIT', quantity: 2, unitPrice: '4.25' },
              { sku: 'DEMO', quantity: 1, unitPrice: '19.99' },
            ],
          },
        },
        accounting,
      )
    ).invoiceLoan;
    expect(rest).toMatchObject({
      kind: 'LOAN',
      status: 'PAID',
      paidAt: expect.any(String),
      netTotal: '28.49',
      taxTotal: '2.85',
      grossTotal: '31.34',
    });
    expect(rest.lines.map((l: any) => [l.lineNo, l.sku, l.quantity, l.taxRate, l.lineNet, l.tax])).toEqual([
      [1, 'KIT', 2, '10', '8.5', '0.85'],
      [2, 'DEMO', 1, '10', '19.99', '2'],
    ]);
    expect(Number(rest.number.split('-')[2])).toBe(numberBefore + 2);
    const closed = await loanOf(loan.id);
    expect(closed).toMatchObject({ status: 'CLOSED', version: 3 });
    expect(closed.lines.map((l: any) => l.outstandingQuantity)).toEqual([0, 0]);
    expect(closed.events.map((e: any) => e.type)).toEqual(['LOAN_CREATED', 'LOAN_SOLD', 'LOAN_SOLD']);
    expect(await stock('DEMO')).toEqual({ ...lentStock.demo, onLoan: lentStock.demo.onLoan - 3 });
    expect(await stock('KIT')).toEqual({ ...lentStock.kit, onLoan: lentStock.kit.onLoan - 2 });
    expect(
      errorCode(await invoiceLoan({ loanId: loan.id, expectedVersion: 3, currency: 'EUR', lines: [{ sku: 'KIT', quantity: 1, unitPrice: '5' }] })),
    ).toBe('BAD_USER_INPUT');
    await booksBalance();

    // Read back: by loan, and by the customer (its own only). A whole credit note takes what is left.
    const listed = (
      await h.ok(
        `query($id: ID!) { invoices(filter: { loanId: $id, kind: LOAN }) { totalCount edges { node { number } } } }`,
        { id: loan.id },
        accounting,
      )
    ).invoices;
    expect(listed.edges.map((e: any) => e.node.number)).toEqual([rest.number, partial.number]);
    expect(
      (await h.ok(`query($id: ID!) { invoice(id: $id) { number loan { reference } } }`, { id: rest.id }, h.token('customer', 'c-loan'))).invoice,
    ).toEqual({ number: rest.number, loan: { reference: loan.number } });
    expect(errorCode(await h.gql(`query($id: ID!) { invoice(id: $id) { number } }`, { id: rest.id }, h.token('customer', 'c-other')))).toBe(
      'FORBIDDEN',
    );
    expect((await h.ok(CREDIT, { input: { invoiceId: rest.id, reason: 'returned after all' } }, accounting)).issueCreditNote).toMatchObject({
      grossTotal: '31.34',
      invoice: { status: 'CREDITED', creditedGross: '31.34' },
    });

    // Issued loan invoices are as immutable as the others, and a line is either a shipped line or a loan line.
    for (const statement of [
      `update invoice set gross_total = 0 where id = '${partial.id}'`,
      `update invoice set loan_id = null, kind = 'SHIPMENT' where id = '${partial.id}'`,
      `update invoice_line set unit_price = 0 where invoice_id = '${partial.id}'`,
      `delete from invoice_line where invoice_id = '${rest.id}'`,
      `delete from invoice where id = '${rest.id}'`,
    ]) {
      await expect(h.orm.em.fork().execute(statement), statement).rejects.toThrow(/immutable/);
    }
    await expect(
      h.orm.em.fork().execute(
        `insert into invoice_line (id, invoice_id, line_no, sku, description, unit_price, quantity, tax_rate, net, tax, gross)
       values (gen_random_uuid(), '${partial.id}', 9, 'DEMO', 'x', 1, 1, 0, 1, 0, 1)`,
      ),
    ).rejects.toThrow(/invoice_line_shipped_or_lent/);
    await expect(
      h.orm.em.fork().execute(
        `insert into invoice (id, number, kind, customer_id, currency, net_total, tax_total, gross_total, issued_by)
       values (gen_random_uuid(), 'INV-0000-999999', 'LOAN', 'c-loan', 'EUR', 0, 0, 0, 'x')`,
      ),
    ).rejects.toThrow(/invoice_loan_only_on_loan_invoices/);
    await booksBalance();
  });

  it("a loan lent against an order: the currency must be the order's, and the sale and its invoice land on the order's timeline and outbox", async () => {
    const { placeOrder } = await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: {
        idempotencyKey: 'loan-order',
        customerId: 'c-ord',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        taxRate: '12.5',
        lines: [{ sku: 'KIT', quantity: 1, unitPrice: '5' }],
      },
    });
    await h.waitFor(
      async () => (await h.ok(`query($id: ID!) { order(id: $id) { status } }`, { id: placeOrder.id })).order.status !== 'PENDING',
      'the order allocated',
    );
    const loan = await lend('c-ord', [{ sku: 'DEMO', quantity: 1 }], placeOrder.id);
    expect(loan.orderId).toBe(placeOrder.id);
    await booksBalance();

    const before = await state(loan.id, ['DEMO'], placeOrder.id);
    const input = { loanId: loan.id, expectedVersion: 1, currency: 'NOK', lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '80' }] };
    const mismatch = await invoiceLoan(input);
    expect(errorCode(mismatch)).toBe('BAD_USER_INPUT');
    expect(mismatch.errors![0].extensions).toMatchObject({ details: expect.objectContaining({ field: 'currency', currency: 'EUR' }) });
    expect(await state(loan.id, ['DEMO'], placeOrder.id)).toEqual(before);

    const invoice = (await h.ok(INVOICE_LOAN, { input: { ...input, currency: 'EUR' } }, accounting)).invoiceLoan;
    // No rate given: the order's 12.5 % over the product's 25 %.
    expect(invoice).toMatchObject({
      kind: 'LOAN',
      orderIds: [],
      netTotal: '80',
      taxTotal: '10',
      grossTotal: '90',
      lines: [expect.objectContaining({ taxRate: '12.5' })],
    });
    const order = (await h.ok(`query($id: ID!) { order(id: $id) { version events { type message } invoices { number } } }`, { id: placeOrder.id }))
      .order;
    expect(order.events.slice(-2).map((e: any) => e.type)).toEqual(['LOAN_SOLD', 'INVOICE_ISSUED']);
    expect(order.events.at(-1).message).toContain(`Invoice ${invoice.number}`);
    expect(order.version).toBe(before.order.version + 2);
    // Order.invoices bills the order's own lines; the loan's invoice is found by its loan.
    expect(order.invoices).toEqual([]);
    const outbox = await db.query(`select payload->>'type' as type from outbox_message where payload->>'orderId' = $1 order by id desc limit 2`, [
      placeOrder.id,
    ]);
    expect(outbox.rows.map((r) => r.type)).toEqual(['INVOICE_ISSUED', 'LOAN_SOLD']);
    await booksBalance();
  });

  it('two invoiceLoan of one loan version at once: one sells and invoices, the other is a CONFLICT', async () => {
    const loan = await lend('c-race', [{ sku: 'KIT', quantity: 1 }]);
    const invoicesBefore = (await db.query(`select count(*)::int as n from invoice`)).rows[0].n;
    const input = { loanId: loan.id, expectedVersion: 1, currency: 'EUR', lines: [{ sku: 'KIT', quantity: 1, unitPrice: '5' }] };
    const answers = await Promise.all([invoiceLoan(input), invoiceLoan(input)]);
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    expect(answers.filter((a) => errorCode(a) === 'CONFLICT')).toHaveLength(1);
    expect((await db.query(`select count(*)::int as n from invoice`)).rows[0].n).toBe(invoicesBefore + 1);
    expect(await loanOf(loan.id)).toMatchObject({ status: 'CLOSED', version: 2 });
    await booksBalance();
  });
});
