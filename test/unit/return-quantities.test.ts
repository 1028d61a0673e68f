import { describe, expect, it } from 'vitest';
import { settledLines } from '../../src/loans/loan.service';
import { ReturnCondition } from '../../src/returns/return.enums';
import {
  allotReturnReceipt,
  authorisableLines,
  exchangeableQuantity,
  exchangeLines,
  refundableQuantity,
  refundLines,
  ReturnLineState,
} from '../../src/returns/return-quantities';

const line = (over: Partial<ReturnLineState> = {}): ReturnLineState => ({
  sku: 'MUG',
  quantity: 3,
  receivedSellable: 0,
  receivedDamaged: 0,
  exchanged: 0,
  refunded: 0,
  ...over,
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error: any) {
    return error.code;
  }
  return 'no error';
};

describe('return authorisation quantities', () => {
  const shipped = new Map([
    ['MUG', 5],
    ['PLATE', 2],
  ]);

  it('allows up to shipped − already authorised, per SKU, summing repeated SKUs', () => {
    expect(
      authorisableLines(shipped, new Map([['MUG', 2]]), [
        { sku: 'MUG', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ]),
    ).toEqual([{ sku: 'MUG', quantity: 3 }]);
  });

  it('refuses more than shipped, more than what earlier returns left, and a SKU that never shipped', () => {
    expect(code(() => authorisableLines(shipped, new Map(), [{ sku: 'PLATE', quantity: 3 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => authorisableLines(shipped, new Map([['MUG', 4]]), [{ sku: 'MUG', quantity: 2 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => authorisableLines(shipped, new Map(), [{ sku: 'BOWL', quantity: 1 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => authorisableLines(shipped, new Map(), [{ sku: 'MUG', quantity: 0 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => authorisableLines(shipped, new Map(), []))).toBe('BAD_USER_INPUT');
  });
});

describe('return receipts', () => {
  const receipt = (quantity: number, condition = ReturnCondition.SELLABLE, sku = 'MUG') => ({ sku, quantity, condition, warehouseCode: 'EAST' });

  it('splits what arrives into sellable and damaged, partial receipts allowed', () => {
    expect(allotReturnReceipt([line()], [receipt(1), receipt(1, ReturnCondition.DAMAGED)], 'RMA-1')).toEqual([
      { sku: 'MUG', sellable: 1, damaged: 1 },
    ]);
    expect(allotReturnReceipt([line({ receivedSellable: 1, receivedDamaged: 1 })], [receipt(1)], 'RMA-1')).toEqual([
      { sku: 'MUG', sellable: 1, damaged: 0 },
    ]);
  });

  it('refuses an over-receipt (counting earlier receipts and both conditions) and a SKU not on the return', () => {
    expect(code(() => allotReturnReceipt([line()], [receipt(2), receipt(2, ReturnCondition.DAMAGED)], 'RMA-1'))).toBe('BAD_USER_INPUT');
    expect(code(() => allotReturnReceipt([line({ receivedDamaged: 3 })], [receipt(1)], 'RMA-1'))).toBe('BAD_USER_INPUT');
    expect(code(() => allotReturnReceipt([line()], [receipt(1, ReturnCondition.SELLABLE, 'PLATE')], 'RMA-1'))).toBe('BAD_USER_INPUT');
    expect(code(() => allotReturnReceipt([line()], [receipt(1, 'BROKEN' as ReturnCondition)], 'RMA-1'))).toBe('BAD_USER_INPUT');
  });
});

describe('exchanges and refunds: each authorised unit is replaced or refunded, never both', () => {
  it('exchanges what is neither replaced nor refunded, received or not', () => {
    expect(exchangeableQuantity(line({ exchanged: 1, refunded: 1, receivedSellable: 1 }))).toBe(1);
    expect(exchangeLines([line({ exchanged: 1 })], null, 'RMA-1')).toEqual([{ sku: 'MUG', quantity: 2 }]);
    expect(exchangeLines([line()], [{ sku: 'MUG', quantity: 3 }], 'RMA-1')).toEqual([{ sku: 'MUG', quantity: 3 }]);
    expect(code(() => exchangeLines([line({ exchanged: 2 })], [{ sku: 'MUG', quantity: 2 }], 'RMA-1'))).toBe('BAD_USER_INPUT');
    expect(code(() => exchangeLines([line({ exchanged: 3 })], null, 'RMA-1'))).toBe('BAD_USER_INPUT');
  });

  it('refunds only received units that were not replaced nor refunded', () => {
    expect(refundableQuantity(line())).toBe(0);
    expect(refundableQuantity(line({ receivedSellable: 1, receivedDamaged: 1 }))).toBe(2);
    expect(refundableQuantity(line({ receivedSellable: 3, exchanged: 2 }))).toBe(1);
    expect(refundableQuantity(line({ receivedSellable: 3, exchanged: 2, refunded: 1 }))).toBe(0);
    expect(refundLines([line({ receivedSellable: 2 })], [{ sku: 'MUG', quantity: 2 }], 'RMA-1')).toEqual([{ sku: 'MUG', quantity: 2 }]);
    expect(code(() => refundLines([line({ receivedSellable: 1 })], [{ sku: 'MUG', quantity: 2 }], 'RMA-1'))).toBe('BAD_USER_INPUT');
  });
});

describe('loan settlement quantities', () => {
  const loan = {
    reference: 'LN-1',
    lines: [
      { sku: 'MUG', out: 2 },
      { sku: 'PLATE', out: 0 },
    ],
  };

  it('settles everything still out by default, or at most what is out', () => {
    expect(settledLines(loan, null)).toEqual([{ sku: 'MUG', quantity: 2 }]);
    expect(settledLines(loan, [{ sku: 'MUG', quantity: 1 }])).toEqual([{ sku: 'MUG', quantity: 1 }]);
    expect(code(() => settledLines(loan, [{ sku: 'MUG', quantity: 3 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => settledLines(loan, [{ sku: 'PLATE', quantity: 1 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => settledLines(loan, [{ sku: 'BOWL', quantity: 1 }]))).toBe('BAD_USER_INPUT');
    expect(code(() => settledLines({ reference: 'LN-1', lines: [{ sku: 'MUG', out: 0 }] }, null))).toBe('CONFLICT');
  });
});
