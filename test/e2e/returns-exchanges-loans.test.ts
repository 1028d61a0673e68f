import type { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRefund } from '../../src/returns/return.service';
import { connect, integrityChecks } from '../../tools/bench/database';
import { errorCode } from '../support/api-client';
import { Harness } from '../support/harness';

const ORDER = `id number status version flags customerId
  lines { sku quantity unitPrice allocatedQuantity backorderedQuantity shippedQuantity }
  shipments { id status } events { type message }
  returns { id number status } replacementFor { id number }`;
const RETURN = `id number status version reason order { id number }
  lines { sku quantity receivedSellableQuantity receivedDamagedQuantity exchangedQuantity refundedQuantity refundableQuantity }
  receipts { lines { sku quantity condition warehouseCode note } } exchanges { id number flags }`;
const LOAN = `id number status version customerId warehouseCode lines { sku quantity returnedQuantity soldQuantity outstandingQuantity } events { type message }`;

describe('returns, exchanges and loans through the API', () => {
  let h: Harness;
  let db: Client;

  const order = async (id: string) => (await h.ok(`query($id: ID!) { order(id: $id) { ${ORDER} } }`, { id })).order;
  const stock = async (sku: string) =>
    (await h.ok(`query($sku: String!) { stockLevels(sku: $sku) { warehouseCode onHand reserved onLoan available } }`, { sku })).stockLevels[0];
  const place = async (key: string, sku: string, quantity: number) =>
    (
      await h.ok(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: {
          idempotencyKey: key,
          customerId: key,
          channel: 'web',
          currency: 'EUR',
          shipToRegion: 'EU',
          lines: [{ sku, quantity, unitPrice: '12.50' }],
        },
      })
    ).placeOrder.id as string;
  const settled = (id: string, what: (o: any) => boolean, why: string) =>
    h.waitFor(async () => {
      const o = await order(id);
      return what(o) ? o : null;
    }, why);
  /** Waits until the allocator owes nothing, then every integrity check (tools/shared/invariants.ts uses the same) must hold. */
  const booksBalance = async () => {
    await h.waitFor(async () => (await db.query(`select count(*)::int as n from allocation_request`)).rows[0].n === 0, 'the allocator to catch up');
    const failed = (await integrityChecks(db)).filter((c) => !c.ok);
    expect(failed).toEqual([]);
  };

  beforeAll(async () => {
    h = await Harness.start();
    db = await connect(h.config.databaseUrl, 'returns-test');
    await h.ok(
      `mutation { upsertWarehouse(input: { code: "EAST", name: "East", region: "EU", shippingLanes: [{ region: "EU", days: 2, cost: 5 }] }) { id } }`,
    );
    await h.ok(`mutation { upsertProduct(input: { sku: "MUG", name: "Mug", leadTimeDays: 14 }) { sku } }`);
    await h.ok(`mutation { upsertProduct(input: { sku: "LEND", name: "Demo unit", leadTimeDays: 14 }) { sku } }`);
  });
  afterAll(async () => {
    await db?.end();
    await h?.stop();
  });

  it('authorises shipped units only, receives them back (damaged written off, sellable serving a backorder at once) and exchanges one', async () => {
    await h.ok(`mutation { adjustStock(input: { sku: "MUG", warehouseCode: "EAST", delta: 5, reason: "count" }) { onHand } }`);
    const first = await place('c-1', 'MUG', 3);
    const ready = await settled(first, (o) => o.shipments[0]?.status === 'READY', 'the first order allocated');
    await h.ok(`mutation($s: ID!) { shipShipment(input: { shipmentId: $s, trackingNumber: "T1" }) { status } }`, { s: ready.shipments[0].id });
    const waiting = await place('c-2', 'MUG', 4);
    await settled(
      waiting,
      (o) => o.lines[0].allocatedQuantity === 2 && o.lines[0].backorderedQuantity === 2,
      'the second order: 2 reserved, 2 backordered',
    );
    await booksBalance();

    // More than shipped: refused, nothing changes.
    const shipped = await order(first);
    const tooMany = await h.gql(`mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { id } }`, {
      input: { orderId: first, expectedVersion: shipped.version, lines: [{ sku: 'MUG', quantity: 4 }], reason: 'changed mind' },
    });
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].message).toContain('3 shipped');
    const stale = await h.gql(`mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { id } }`, {
      input: { orderId: first, expectedVersion: shipped.version - 1, lines: [{ sku: 'MUG', quantity: 1 }], reason: 'late' },
    });
    expect(errorCode(stale)).toBe('CONFLICT');
    const forbidden = await h.gql(
      `mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { id } }`,
      {
        input: { orderId: first, expectedVersion: shipped.version, lines: [{ sku: 'MUG', quantity: 1 }], reason: 'x' },
      },
      h.token('customer', 'c-1'),
    );
    expect(errorCode(forbidden)).toBe('FORBIDDEN');
    expect(await order(first)).toMatchObject({ version: shipped.version, returns: [] });

    const rma = (
      await h.ok(`mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { ${RETURN} } }`, {
        input: { orderId: first, expectedVersion: shipped.version, lines: [{ sku: 'MUG', quantity: 2 }], reason: 'wrong colour' },
      })
    ).authoriseReturn;
    expect(rma).toMatchObject({ number: expect.stringMatching(/^RMA-\d+$/), status: 'AUTHORISED', version: 1, order: { id: first } });
    expect(rma.lines).toEqual([
      {
        sku: 'MUG',
        quantity: 2,
        receivedSellableQuantity: 0,
        receivedDamagedQuantity: 0,
        exchangedQuantity: 0,
        refundedQuantity: 0,
        refundableQuantity: 0,
      },
    ]);
    const afterRma = await order(first);
    expect(afterRma.version).toBe(shipped.version + 1);
    expect(afterRma.events.at(-1)).toMatchObject({ type: 'RETURN_AUTHORISED', message: expect.stringContaining(`${rma.number} authorised`) });
    // Only 1 more may be authorised now (3 shipped, 2 authorised).
    const beyond = await h.gql(`mutation($input: AuthoriseReturnInput!) { authoriseReturn(input: $input) { id } }`, {
      input: { orderId: first, expectedVersion: afterRma.version, lines: [{ sku: 'MUG', quantity: 2 }], reason: 'more' },
    });
    expect(errorCode(beyond)).toBe('BAD_USER_INPUT');
    // The customer reads its own return, another customer does not.
    expect(
      (await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { number } }`, { id: rma.id }, h.token('customer', 'c-1'))).returnAuthorisation
        .number,
    ).toBe(rma.number);
    expect(errorCode(await h.gql(`query($id: ID!) { returnAuthorisation(id: $id) { number } }`, { id: rma.id }, h.token('customer', 'c-2')))).toBe(
      'FORBIDDEN',
    );

    // A damaged unit is written off: on hand does not move.
    const before = await stock('MUG');
    const damaged = (
      await h.ok(`mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { ${RETURN} } }`, {
        input: { returnId: rma.id, expectedVersion: 1, lines: [{ sku: 'MUG', quantity: 1, condition: 'DAMAGED', warehouseCode: 'EAST' }] },
      })
    ).receiveReturn;
    expect(damaged).toMatchObject({ status: 'PARTIALLY_RECEIVED', version: 2 });
    expect(damaged.receipts[0].lines).toEqual([
      { sku: 'MUG', quantity: 1, condition: 'DAMAGED', warehouseCode: 'EAST', note: expect.stringContaining('written off') },
    ]);
    expect(await stock('MUG')).toEqual(before);
    await booksBalance();
    expect((await order(waiting)).lines[0]).toMatchObject({ allocatedQuantity: 2, backorderedQuantity: 2 });

    // A sellable unit goes back on hand and the waiting backorder takes it at once.
    const staleReceipt = await h.gql(`mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { id } }`, {
      input: { returnId: rma.id, expectedVersion: 1, lines: [{ sku: 'MUG', quantity: 1, condition: 'SELLABLE', warehouseCode: 'EAST' }] },
    });
    expect(errorCode(staleReceipt)).toBe('CONFLICT');
    const received = (
      await h.ok(`mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { ${RETURN} } }`, {
        input: { returnId: rma.id, expectedVersion: 2, lines: [{ sku: 'MUG', quantity: 1, condition: 'SELLABLE', warehouseCode: 'EAST' }] },
      })
    ).receiveReturn;
    expect(received).toMatchObject({ status: 'RECEIVED', version: 3 });
    expect(received.lines[0]).toMatchObject({ receivedSellableQuantity: 1, receivedDamagedQuantity: 1, refundableQuantity: 2 });
    await settled(
      waiting,
      (o) => o.lines[0].allocatedQuantity === 3 && o.lines[0].backorderedQuantity === 1,
      'the backorder served from the returned unit',
    );
    expect(await stock('MUG')).toMatchObject({ onHand: before.onHand + 1, reserved: before.reserved + 1, available: 0 });
    expect((await order(first)).events.map((e: any) => e.type)).toContain('RETURN_RECEIVED');
    await booksBalance();

    // Over-receipt: refused, nothing changes.
    const over = await h.gql(`mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) { id } }`, {
      input: { returnId: rma.id, expectedVersion: 3, lines: [{ sku: 'MUG', quantity: 1, condition: 'SELLABLE', warehouseCode: 'EAST' }] },
    });
    expect(errorCode(over)).toBe('BAD_USER_INPUT');
    expect((await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { version } }`, { id: rma.id })).returnAuthorisation.version).toBe(3);

    // Exchange one unit: a REPLACEMENT order at no charge for the same customer, which the next unit in stock serves
    // ahead of the older ordinary backorder of the same priority.
    const replacement = (
      await h.ok(`mutation($input: CreateExchangeInput!) { createExchange(input: $input) { ${ORDER} } }`, {
        input: { returnId: rma.id, expectedVersion: 3, lines: [{ sku: 'MUG', quantity: 1 }] },
      })
    ).createExchange;
    expect(replacement).toMatchObject({ customerId: 'c-1', flags: ['REPLACEMENT'], replacementFor: { id: rma.id, number: rma.number } });
    expect(replacement.lines).toEqual([expect.objectContaining({ sku: 'MUG', quantity: 1, unitPrice: '0' })]);
    expect(replacement.events.map((e: any) => e.type)).toEqual(['PLACED', 'EXCHANGE_CREATED']);
    expect((await order(first)).events.at(-1)).toMatchObject({ type: 'EXCHANGE_CREATED' });
    const exchanged = (await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { ${RETURN} } }`, { id: rma.id })).returnAuthorisation;
    expect(exchanged.exchanges).toEqual([{ id: replacement.id, number: replacement.number, flags: ['REPLACEMENT'] }]);
    expect(exchanged.lines[0]).toMatchObject({ exchangedQuantity: 1, refundableQuantity: 1 });
    await settled(replacement.id, (o) => o.status === 'BACKORDERED', 'the replacement planned (no stock free)');
    await booksBalance();

    await h.ok(`mutation { adjustStock(input: { sku: "MUG", warehouseCode: "EAST", delta: 1, reason: "found one" }) { onHand } }`);
    const served = await settled(replacement.id, (o) => o.status === 'ALLOCATED', 'the replacement served first');
    expect(served.lines[0]).toMatchObject({ allocatedQuantity: 1, backorderedQuantity: 0 });
    expect((await order(waiting)).lines[0]).toMatchObject({ allocatedQuantity: 3, backorderedQuantity: 1 });
    await booksBalance();

    // A second exchange beyond the authorised units is refused.
    const again = await h.gql(`mutation($input: CreateExchangeInput!) { createExchange(input: $input) { id } }`, {
      input: { returnId: rma.id, expectedVersion: 4, lines: [{ sku: 'MUG', quantity: 2 }] },
    });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');

    // The refund seam (invoicing's credit note calls it in its transaction): only received units not replaced.
    const refund = (quantity: number) =>
      h.orm.em.fork().transactional((em) => recordRefund(em, { returnId: rma.id, lines: [{ sku: 'MUG', quantity }] }));
    await expect(refund(2)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refund(1)).toEqual([{ sku: 'MUG', quantity: 1 }]);
    const refunded = (await h.ok(`query($id: ID!) { returnAuthorisation(id: $id) { ${RETURN} } }`, { id: rma.id })).returnAuthorisation;
    expect(refunded).toMatchObject({
      version: 5,
      lines: [expect.objectContaining({ exchangedQuantity: 1, refundedQuantity: 1, refundableQuantity: 0 })],
    });
    await expect(refund(1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await booksBalance();
  });

  it('lends stock out of availability, serves a backorder when it comes back, and sells the rest out of stock', async () => {
    await h.ok(`mutation { adjustStock(input: { sku: "LEND", warehouseCode: "EAST", delta: 4, reason: "count" }) { onHand } }`);
    const tooMuch = await h.gql(`mutation($input: LendStockInput!) { lendStock(input: $input) { id } }`, {
      input: { customerId: 'c-9', warehouseCode: 'EAST', lines: [{ sku: 'LEND', quantity: 5 }], reason: 'trial' },
    });
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    expect(await stock('LEND')).toMatchObject({ onHand: 4, onLoan: 0, available: 4 });

    const loan = (
      await h.ok(`mutation($input: LendStockInput!) { lendStock(input: $input) { ${LOAN} } }`, {
        input: { customerId: 'c-9', warehouseCode: 'EAST', lines: [{ sku: 'LEND', quantity: 3 }], reason: 'two-week trial' },
      })
    ).lendStock;
    expect(loan).toMatchObject({ number: expect.stringMatching(/^LN-\d+$/), status: 'OPEN', version: 1, customerId: 'c-9' });
    expect(loan.lines).toEqual([{ sku: 'LEND', quantity: 3, returnedQuantity: 0, soldQuantity: 0, outstandingQuantity: 3 }]);
    expect(loan.events).toEqual([expect.objectContaining({ type: 'LOAN_CREATED' })]);
    expect(await stock('LEND')).toMatchObject({ onHand: 1, reserved: 0, onLoan: 3, available: 1 });
    expect((await h.ok(`{ availability(sku: "LEND", quantity: 2, region: "EU") { availableNow } }`)).availability.availableNow).toBe(1);
    await booksBalance();

    const buyer = await place('c-10', 'LEND', 2);
    await settled(buyer, (o) => o.lines[0].allocatedQuantity === 1 && o.lines[0].backorderedQuantity === 1, 'the buyer: 1 reserved, 1 backordered');

    expect(
      errorCode(
        await h.gql(`mutation($input: ReturnLoanInput!) { returnLoan(input: $input) { id } }`, {
          input: { loanId: loan.id, expectedVersion: 2, lines: [{ sku: 'LEND', quantity: 1 }] },
        }),
      ),
    ).toBe('CONFLICT');
    const back = (
      await h.ok(`mutation($input: ReturnLoanInput!) { returnLoan(input: $input) { ${LOAN} } }`, {
        input: { loanId: loan.id, expectedVersion: 1, lines: [{ sku: 'LEND', quantity: 2 }] },
      })
    ).returnLoan;
    expect(back).toMatchObject({ status: 'OPEN', version: 2, lines: [expect.objectContaining({ returnedQuantity: 2, outstandingQuantity: 1 })] });
    await settled(
      buyer,
      (o) => o.lines[0].allocatedQuantity === 2 && o.lines[0].backorderedQuantity === 0,
      'the backorder served from the returned loan',
    );
    expect(await stock('LEND')).toMatchObject({ onHand: 3, reserved: 2, onLoan: 1, available: 1 });
    await booksBalance();

    // Customers list their own loans only.
    expect((await h.ok(`{ loans { totalCount edges { node { number } } } }`, {}, h.token('customer', 'c-9'))).loans.totalCount).toBe(1);
    expect((await h.ok(`{ loans { totalCount } }`, {}, h.token('customer', 'c-10'))).loans.totalCount).toBe(0);
    expect(errorCode(await h.gql(`{ loans { totalCount } }`, {}, h.token('storefront')))).toBe('FORBIDDEN');

    // Invoicing ends the rest as sold: the units leave stock (on loan falls, on hand stays), on a LOAN invoice.
    const invoice = (
      await h.ok(
        `mutation($input: InvoiceLoanInput!) { invoiceLoan(input: $input) { number kind grossTotal loan { id reference } lines { sku quantity } } }`,
        {
          input: { loanId: loan.id, expectedVersion: 2, currency: 'EUR', lines: [{ sku: 'LEND', quantity: 1, unitPrice: '40' }] },
        },
        h.token('accounting'),
      )
    ).invoiceLoan;
    expect(invoice).toMatchObject({
      kind: 'LOAN',
      grossTotal: '40',
      loan: { id: loan.id, reference: loan.number },
      lines: [{ sku: 'LEND', quantity: 1 }],
    });
    const sold = (await h.ok(`query($id: ID!) { loan(id: $id) { ${LOAN} } }`, { id: loan.id })).loan;
    expect(sold).toMatchObject({
      status: 'CLOSED',
      version: 3,
      lines: [{ sku: 'LEND', quantity: 3, returnedQuantity: 2, soldQuantity: 1, outstandingQuantity: 0 }],
    });
    expect(sold.events.map((e: any) => e.type)).toEqual(['LOAN_CREATED', 'LOAN_RETURNED', 'LOAN_SOLD']);
    expect(sold.events[2].message).toContain(`on invoice ${invoice.number}`);
    expect(await stock('LEND')).toMatchObject({ onHand: 3, onLoan: 0 });
    expect(
      errorCode(
        await h.gql(`mutation($input: ReturnLoanInput!) { returnLoan(input: $input) { id } }`, { input: { loanId: loan.id, expectedVersion: 3 } }),
      ),
    ).toBe('CONFLICT');
    await booksBalance();

    // Lent against an order: the loan's events are on that order's timeline too, and its version goes up.
    const mismatch = await h.gql(`mutation($input: LendStockInput!) { lendStock(input: $input) { id } }`, {
      input: { customerId: 'c-9', warehouseCode: 'EAST', lines: [{ sku: 'LEND', quantity: 1 }], reason: 'demo', orderId: buyer },
    });
    expect(errorCode(mismatch)).toBe('BAD_USER_INPUT');
    const versionBefore = (await order(buyer)).version;
    const tied = (
      await h.ok(`mutation($input: LendStockInput!) { lendStock(input: $input) { id orderId version } }`, {
        input: { customerId: 'c-10', warehouseCode: 'EAST', lines: [{ sku: 'LEND', quantity: 1 }], reason: 'demo while waiting', orderId: buyer },
      })
    ).lendStock;
    expect(tied.orderId).toBe(buyer);
    // Nothing else is owed to the allocator here (lending requests no allocation), so only the loan moved the version.
    expect((await order(buyer)).version).toBe(versionBefore + 1);
    await h.ok(`mutation($input: ReturnLoanInput!) { returnLoan(input: $input) { status } }`, { input: { loanId: tied.id, expectedVersion: 1 } });
    const timeline = await order(buyer);
    expect(timeline.events.map((e: any) => e.type).filter((t: string) => t.startsWith('LOAN_'))).toEqual(['LOAN_CREATED', 'LOAN_RETURNED']);
    expect(await stock('LEND')).toMatchObject({ onHand: 3, onLoan: 0 });
    await booksBalance();
  });
});
