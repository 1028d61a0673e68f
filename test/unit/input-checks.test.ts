import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatApiError } from '../../src/api/errors';
import { buildApiSchema } from '../../src/api/schema';
import { validateArguments } from '../../src/api/validation/validate-arguments';
import { DATABASE_REJECTED_INPUT, domainErrorFromDatabase } from '../../src/db/database-errors';
import { canonicalOrderRequest, orderRequestHash } from '../../src/orders/order-request-hash';
import type { PlaceOrderCommand } from '../../src/orders/place-order';
import { FulfilmentPolicy, OrderFlag } from '../../src/orders/order.enums';
import { checkDate, checkInteger, checkText, checkUuid } from '../../src/shared/input-checks';
import { cursorOffset, encodeCursor } from '../../src/shared/pagination';
import type { Logger } from '../../src/shared/logger';

const refusal = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message, details: (error as { details?: unknown }).details };
  }
  return null;
};

describe('input checks', () => {
  it('refuses control characters, lone surrogates and long text, naming the field', () => {
    for (const bad of ['a\u0000b', 'a\u0007', '\u001b[2J', 'a\u0085', 'a\ud800', '\udc00b', 'x'.repeat(101)]) {
      expect(refusal(() => checkText(bad, 'input.sku', { max: 100 }))).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.sku' } });
    }
    expect(refusal(() => checkText('Ünïcødé 😀 ok', 'name', { max: 100 }))).toBeNull();
    expect(refusal(() => checkText('line one\nline two\ttabbed', 'reason', { max: 100 }))).not.toBeNull();
    expect(refusal(() => checkText('line one\nline two\ttabbed', 'reason', { max: 100, multiline: true }))).toBeNull();
    expect(refusal(() => checkText('a\u0000', 'reason', { max: 100, multiline: true }))).not.toBeNull();
  });

  it('answers NOT_FOUND naming the field for an id that is not a UUID, quoting it short and escaped', () => {
    expect(refusal(() => checkUuid('0b9d3c52-4a8e-4f7e-9a55-6a3f5e4c2b1d', 'id'))).toBeNull();
    for (const bad of ['', 'not-a-uuid', '-'.repeat(36), 'zzzzzzzz-0000-4000-8000-000000000000', `0b9d3c52-4a8e-4f7e-9a55-6a3f5e4c2b1d\u0000`]) {
      expect(refusal(() => checkUuid(bad, 'input.shipmentId'))).toMatchObject({ code: 'NOT_FOUND', details: { field: 'input.shipmentId' } });
    }
    const long = refusal(() => checkUuid(`${'y'.repeat(1000)}\u0000`, 'id'))!;
    expect(long.message.length).toBeLessThan(120);
    // eslint-disable-next-line no-control-regex
    expect(long.message).not.toMatch(/\u0000/);
  });

  it('bounds whole numbers and dates', () => {
    expect(refusal(() => checkInteger(5, 'quantity', { min: 1, max: 10 }))).toBeNull();
    for (const bad of [0, 11, 1.5, Number.NaN, '3'])
      expect(refusal(() => checkInteger(bad, 'quantity', { min: 1, max: 10 }))?.code).toBe('BAD_USER_INPUT');
    expect(refusal(() => checkDate(new Date('2026-12-01T00:00:00Z'), 'expectedAt'))).toBeNull();
    for (const bad of [new Date('0000-01-01T00:00:00Z'), new Date(Number.NaN), new Date(8.64e15), '2026-12-01']) {
      expect(refusal(() => checkDate(bad, 'expectedAt'))?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('reads only cursors this API hands out', () => {
    expect(cursorOffset(encodeCursor({ o: 41 }))).toBe(41);
    for (const bad of [
      'garbage!',
      '',
      encodeCursor({ o: 1e300 }),
      encodeCursor({ o: -1 }),
      encodeCursor({ o: '1' }),
      encodeCursor(null),
      'x'.repeat(100),
    ]) {
      expect(refusal(() => cursorOffset(bad))).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'after' } });
    }
  });
});

describe('argument checks driven by the schema', () => {
  it('walk input objects and lists and name the path of the first problem', async () => {
    const schema = await buildApiSchema();
    const placeOrder = schema.getMutationType()!.getFields().placeOrder;
    const input = {
      idempotencyKey: 'k',
      customerId: 'c-1',
      channel: 'web',
      currency: 'EUR',
      shipToRegion: 'EU',
      lines: [{ sku: 'A', quantity: 1, unitPrice: 1 }],
    };
    expect(refusal(() => validateArguments(placeOrder.args, { input }))).toBeNull();
    expect(
      refusal(() =>
        validateArguments(placeOrder.args, { input: { ...input, lines: [input.lines[0], { sku: 'B\u0000', quantity: 1, unitPrice: 1 }] } }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.lines[1].sku' } });
    expect(refusal(() => validateArguments(placeOrder.args, { input: { ...input, lines: [] } }))).toMatchObject({
      details: { field: 'input.lines' },
    });
    expect(refusal(() => validateArguments(placeOrder.args, { input: { ...input, maxWarehouses: 0 } }))).toMatchObject({
      details: { field: 'input.maxWarehouses' },
    });
    const adjustStock = schema.getMutationType()!.getFields().adjustStock;
    const adjustment = { sku: 'A', warehouseCode: 'W', delta: -5, reason: 'count\nbroken pallet' };
    expect(refusal(() => validateArguments(adjustStock.args, { input: adjustment }))).toBeNull();
    expect(refusal(() => validateArguments(adjustStock.args, { input: { ...adjustment, delta: 2_147_483_647 } }))).toMatchObject({
      details: { field: 'input.delta' },
    });
  });

  it('run after authentication: without a principal the resolver answers UNAUTHENTICATED whatever the input', async () => {
    const schema = await buildApiSchema();
    const order = schema.getQueryType()!.getFields().order;
    await expect(Promise.resolve().then(() => order.resolve!(undefined, { id: 'nope' }, { principal: null }, {} as never))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(() => order.resolve!(undefined, { id: 'nope' }, { principal: { role: 'admin' } }, {} as never)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});

describe('database errors caused by input', () => {
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'DriverException', code });

  it('map to BAD_USER_INPUT or CONFLICT, and other errors stay unexpected', () => {
    expect(domainErrorFromDatabase(pgError('22P02', 'invalid input syntax for type uuid'))?.code).toBe('BAD_USER_INPUT');
    expect(domainErrorFromDatabase(pgError('22021', 'invalid byte sequence'))?.code).toBe('BAD_USER_INPUT');
    expect(domainErrorFromDatabase(pgError('22003', 'integer out of range'))?.code).toBe('BAD_USER_INPUT');
    expect(domainErrorFromDatabase(pgError('23514', 'violates check constraint'))?.code).toBe('CONFLICT');
    expect(domainErrorFromDatabase(pgError('40P01', 'deadlock detected'))).toBeNull();
    expect(domainErrorFromDatabase(new Error('boom'))).toBeNull();
    expect(domainErrorFromDatabase({ code: '22P02' })).toBeNull();
  });

  it('reach the caller without SQL, marked as refused by the database', () => {
    const sql = `update "stock_level" set "on_hand_quantity" = on_hand_quantity + 2147483647 - integer out of range`;
    const located = new GraphQLError(sql, { originalError: pgError('22003', sql), path: ['adjustStock'] });
    const result = formatApiError({ ...located.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, located, {
      logger,
      exposeInternalErrors: false,
    });
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: DATABASE_REJECTED_INPUT });
    expect(JSON.stringify(result)).not.toMatch(/stock_level|update|2147483647/);
  });
});

describe('the canonical placeOrder request', () => {
  const command: PlaceOrderCommand = {
    idempotencyKey: 'k-1',
    customerId: 'c-1',
    channel: 'web',
    currency: 'EUR',
    shipToRegion: 'EU',
    flags: [OrderFlag.VIP, OrderFlag.GIFT],
    lines: [{ sku: 'A', quantity: 2, unitPrice: 1.5 }],
  };

  it('ignores the key, flag order and repeats, and left-out versus null optionals', () => {
    expect(orderRequestHash({ ...command, idempotencyKey: 'other', flags: [OrderFlag.GIFT, OrderFlag.VIP, OrderFlag.GIFT], priority: null })).toBe(
      orderRequestHash(command),
    );
  });

  it('reads a price as money: 1.5, "1.50" and "1.5" are one body, no price is 0', () => {
    expect(orderRequestHash({ ...command, lines: [{ sku: 'A', quantity: 2, unitPrice: '1.50' }] })).toBe(orderRequestHash(command));
    expect(orderRequestHash({ ...command, lines: [{ sku: 'A', quantity: 2, unitPrice: ' 1.5' }] })).toBe(orderRequestHash(command));
    expect(orderRequestHash({ ...command, lines: [{ sku: 'A', quantity: 2 }] })).toBe(
      orderRequestHash({ ...command, lines: [{ sku: 'A', quantity: 2, unitPrice: '0.00' }] }),
    );
  });

  it('changes with anything that changes the order', () => {
    const variants: PlaceOrderCommand[] = [
      { ...command, customerId: 'c-2' },
      { ...command, channel: 'store' },
      { ...command, currency: 'SEK' },
      { ...command, shipToRegion: 'US' },
      { ...command, fulfilmentPolicy: FulfilmentPolicy.SHIP_COMPLETE },
      { ...command, flags: [] },
      { ...command, maxWarehouses: 1 },
      { ...command, lines: [{ sku: 'A', quantity: 3, unitPrice: 1.5 }] },
      { ...command, lines: [{ sku: 'A', quantity: 2, unitPrice: 1.25 }] },
      { ...command, lines: [...command.lines, { sku: 'B', quantity: 1, unitPrice: 1 }] },
    ];
    const hashes = new Set([orderRequestHash(command), ...variants.map(orderRequestHash)]);
    expect(hashes.size).toBe(variants.length + 1);
    expect(canonicalOrderRequest(command)).not.toContain('k-1');
  });
});
