import { describe, expect, it } from 'vitest';
import { creditAmounts, priceLine, sumAmounts, validTaxRate } from '../../src/invoicing/invoice-money';
import { invoiceStatus } from '../../src/invoicing/invoice-views';
import { InvoiceStatus } from '../../src/invoicing/invoicing.enums';
import { addDecimal, divideRoundHalfUp, fromUnits, subtractDecimal, toUnits } from '../../src/shared/decimal';
import { DomainError } from '../../src/shared/errors';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('decimal arithmetic for money', () => {
  it('adds, subtracts and converts to minor units exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(subtractDecimal('10', '0.01')).toBe('9.99');
    expect(subtractDecimal('1.5', '2')).toBe('-0.5');
    expect(toUnits('12.5', 2)).toBe(1250n);
    expect(fromUnits(1250n, 2)).toBe('12.5');
    expect(fromUnits(7n, 0)).toBe('7');
    expect(() => toUnits('1.005', 2)).toThrow();
  });

  it('rounds half away from zero', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundHalfUp(5n, 3n)).toBe(2n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
  });
});

describe('pricing an invoice line', () => {
  it('net exact, tax rounded half up to the minor unit per line, gross their sum', () => {
    expect(priceLine('12.5', 3, '25', 'EUR')).toEqual({ net: '37.5', tax: '9.38', gross: '46.88' }); // 9.375 rounds up
    expect(priceLine('0.99', 1, '12.5', 'EUR')).toEqual({ net: '0.99', tax: '0.12', gross: '1.11' }); // 0.12375
    expect(priceLine('0.1', 1, '15', 'EUR')).toEqual({ net: '0.1', tax: '0.02', gross: '0.12' }); // 0.015 exactly half
    expect(priceLine('10', 2, '0', 'EUR')).toEqual({ net: '20', tax: '0', gross: '20' });
  });

  it('follows the currency minor unit (JPY none, KWD three)', () => {
    expect(priceLine('999', 1, '10.5', 'JPY')).toEqual({ net: '999', tax: '105', gross: '1104' }); // 104.895
    expect(priceLine('1.235', 1, '5', 'KWD')).toEqual({ net: '1.235', tax: '0.062', gross: '1.297' }); // 0.06175
  });

  it('totals are the sums of the rounded lines, not a rounding of the sum', () => {
    const lines = [priceLine('0.1', 1, '15', 'EUR'), priceLine('0.1', 1, '15', 'EUR')];
    expect(sumAmounts(lines, 'EUR')).toEqual({ net: '0.2', tax: '0.04', gross: '0.24' });
  });

  it('a tax rate is a percentage from 0 to 100 with at most 4 decimals', () => {
    expect(validTaxRate('25.00', 'taxRate')).toBe('25');
    expect(validTaxRate(12.5, 'taxRate')).toBe('12.5');
    for (const bad of ['-1', '100.01', '12.34567', 'ten', '1e300'])
      expect(
        codeOf(() => validTaxRate(bad, 'taxRate')),
        bad,
      ).toBe('BAD_USER_INPUT');
  });
});

describe('credit limits', () => {
  const line = { quantity: 5, ...priceLine('0.01', 5, '50', 'EUR') }; // net 0.05, tax 0.025 → 0.03
  const none = { quantity: 0, net: '0', tax: '0' };

  it('crediting the whole line gives back exactly the line', () => {
    expect(line).toMatchObject({ net: '0.05', tax: '0.03' });
    expect(creditAmounts(line, none, 5, 'EUR')).toEqual({ net: '0.05', tax: '0.03', gross: '0.08' });
  });

  it('credits in parts add up to the line exactly and never more, however they are split', () => {
    for (const parts of [
      [1, 1, 1, 1, 1],
      [2, 3],
      [4, 1],
      [1, 4],
      [3, 1, 1],
    ]) {
      let credited = { ...none };
      const notes = parts.map((quantity) => {
        const amounts = creditAmounts(line, credited, quantity, 'EUR');
        expect(Number(amounts.tax)).toBeGreaterThanOrEqual(0);
        credited = { quantity: credited.quantity + quantity, net: addDecimal(credited.net, amounts.net), tax: addDecimal(credited.tax, amounts.tax) };
        expect(Number(credited.tax)).toBeLessThanOrEqual(Number(line.tax));
        return amounts;
      });
      expect(sumAmounts(notes, 'EUR'), parts.join('+')).toEqual({ net: '0.05', tax: '0.03', gross: '0.08' });
    }
  });

  it('refuses more units than are still uncredited (CONFLICT) and nonsense quantities (BAD_USER_INPUT)', () => {
    expect(codeOf(() => creditAmounts(line, none, 6, 'EUR'))).toBe('CONFLICT');
    expect(codeOf(() => creditAmounts(line, { quantity: 4, net: '0.04', tax: '0.02' }, 2, 'EUR'))).toBe('CONFLICT');
    expect(codeOf(() => creditAmounts(line, { quantity: 5, net: '0.05', tax: '0.03' }, 1, 'EUR'))).toBe('CONFLICT');
    expect(codeOf(() => creditAmounts(line, none, 0, 'EUR'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => creditAmounts(line, none, 1.5, 'EUR'))).toBe('BAD_USER_INPUT');
  });

  it("an invoice's status follows from what is credited and whether it was paid on issue", () => {
    const lines = [
      { quantity: 2, creditedQuantity: 0 },
      { quantity: 3, creditedQuantity: 0 },
    ];
    expect(invoiceStatus(lines, false)).toBe(InvoiceStatus.ISSUED);
    expect(invoiceStatus(lines, true)).toBe(InvoiceStatus.PAID);
    expect(invoiceStatus([{ quantity: 2, creditedQuantity: 1 }, lines[1]], true)).toBe(InvoiceStatus.PARTLY_CREDITED);
    expect(
      invoiceStatus(
        [
          { quantity: 2, creditedQuantity: 2 },
          { quantity: 3, creditedQuantity: 3 },
        ],
        false,
      ),
    ).toBe(InvoiceStatus.CREDITED);
  });
});
