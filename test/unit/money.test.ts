import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DecimalScalar } from '../../src/api/graphql/types/decimal';
import { lineTotal, MAX_UNIT_PRICE, validUnitPrice } from '../../src/orders/unit-price';
import { minorUnitDigits } from '../../src/shared/currency';
import { compareDecimal, fractionDigits, multiplyDecimal, parseDecimal } from '../../src/shared/decimal';

const refusal = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`;
  }
};

describe('exact decimals', () => {
  it('reads strings and numbers into canonical decimal strings', () => {
    const cases: Array<[unknown, string]> = [
      ['12.50', '12.5'],
      [12.5, '12.5'],
      ['0.10', '0.1'],
      [0.1, '0.1'],
      ['007', '7'],
      ['0', '0'],
      ['-0.00', '0'],
      ['-3.140', '-3.14'],
      ['+2', '2'],
      ['12.', '12'],
      [' 4.2 ', '4.2'],
      [1200, '1200'],
      ['1e3', '1000'],
      ['1.5E-3', '0.0015'],
      [1e-7, '0.0000001'],
      [1e21, '1000000000000000000000'],
      ['123456789012345678.9012', '123456789012345678.9012'],
    ];
    for (const [input, expected] of cases) expect(parseDecimal(input), String(input)).toBe(expected);
  });

  it('keeps what JavaScript printed: 0.1 + 0.2 is 0.30000000000000004, not 0.3', () => {
    expect(parseDecimal(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(fractionDigits(parseDecimal(0.1 + 0.2))).toBe(17);
  });

  it('refuses what is not a finite decimal', () => {
    for (const bad of [
      NaN,
      Infinity,
      -Infinity,
      'NaN',
      'Infinity',
      '',
      ' ',
      'abc',
      '1,5',
      '1.2.3',
      '.5',
      '0x10',
      '--1',
      '1e',
      '1'.repeat(41),
      '1e99',
      null,
      true,
      {},
      [],
    ]) {
      expect(() => parseDecimal(bad), String(bad)).toThrow();
    }
  });

  it('compares and multiplies exactly', () => {
    expect(compareDecimal('0.3', parseDecimal(0.1 + 0.2))).toBe(-1);
    expect(compareDecimal('1000000000', '999999999.9999')).toBe(1);
    expect(compareDecimal('2.50', '2.5')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(multiplyDecimal('0.1', 3)).toBe('0.3');
    expect(multiplyDecimal('19.99', 1_000_000)).toBe('19990000');
    expect(multiplyDecimal('999999999.9999', 1_000_000)).toBe('999999999999900');
    expect(multiplyDecimal('0.05', 0)).toBe('0');
    expect(multiplyDecimal('-0.25', 3)).toBe('-0.75');
  });
});

describe('unit prices', () => {
  const price = (value: unknown, currency = 'EUR') => validUnitPrice(value as string, currency, 'lines[0].unitPrice');

  it('knows the minor units of currencies, 2 for those it does not list', () => {
    expect([
      minorUnitDigits('EUR'),
      minorUnitDigits('USD'),
      minorUnitDigits('NOK'),
      minorUnitDigits('JPY'),
      minorUnitDigits('KWD'),
      minorUnitDigits('XYZ'),
    ]).toEqual([2, 2, 2, 0, 3, 2]);
  });

  it('accepts exact prices within the currency’s decimals, 0 when absent', () => {
    expect(price('0.10')).toBe('0.1');
    expect(price(0.3)).toBe('0.3');
    expect(price('12.50')).toBe('12.5');
    expect(price(1200, 'JPY')).toBe('1200');
    expect(price('1.234', 'KWD')).toBe('1.234');
    expect(price(MAX_UNIT_PRICE)).toBe(MAX_UNIT_PRICE);
    expect(price(null)).toBe('0');
    expect(price(undefined)).toBe('0');
    expect(price('0')).toBe('0');
  });

  it('refuses more decimals than the currency has, negative, not a number, and above the maximum: BAD_USER_INPUT naming the field', () => {
    expect(refusal(() => price(0.1 + 0.2))).toBe('BAD_USER_INPUT: lines[0].unitPrice has more decimals than EUR allows (at most 2)');
    expect(refusal(() => price('12.505'))).toBe('BAD_USER_INPUT: lines[0].unitPrice has more decimals than EUR allows (at most 2)');
    expect(refusal(() => price('12.5', 'JPY'))).toBe('BAD_USER_INPUT: lines[0].unitPrice has more decimals than JPY allows (at most 0)');
    expect(refusal(() => price('1.2345', 'KWD'))).toBe('BAD_USER_INPUT: lines[0].unitPrice has more decimals than KWD allows (at most 3)');
    expect(refusal(() => price('-0.01'))).toBe('BAD_USER_INPUT: lines[0].unitPrice must not be negative');
    expect(refusal(() => price(-5))).toBe('BAD_USER_INPUT: lines[0].unitPrice must not be negative');
    expect(refusal(() => price(NaN))).toBe('BAD_USER_INPUT: lines[0].unitPrice must be a finite number');
    expect(refusal(() => price('NaN'))).toMatch(/^BAD_USER_INPUT: lines\[0\]\.unitPrice must be a decimal number/);
    expect(refusal(() => price('1000000000.01'))).toBe(`BAD_USER_INPUT: lines[0].unitPrice must be at most ${MAX_UNIT_PRICE}`);
    expect(refusal(() => price(1e12))).toBe(`BAD_USER_INPUT: lines[0].unitPrice must be at most ${MAX_UNIT_PRICE}`);
  });

  it('totals a line over the units not cancelled, exactly', () => {
    expect(lineTotal({ unitPrice: '0.1', quantity: 3, cancelledQuantity: 0 })).toBe('0.3');
    expect(lineTotal({ unitPrice: '12.5', quantity: 100, cancelledQuantity: 30 })).toBe('875');
    // As PostgreSQL returns numeric(19,4).
    expect(lineTotal({ unitPrice: '19.9900', quantity: 7, cancelledQuantity: 0 })).toBe('139.93');
  });
});

describe('the Decimal scalar', () => {
  it('serialises as a canonical string, never a number', () => {
    expect(DecimalScalar.serialize('12.5000')).toBe('12.5');
    expect(DecimalScalar.serialize('0.3000')).toBe('0.3');
    expect(DecimalScalar.serialize('1200.0000')).toBe('1200');
    expect(() => DecimalScalar.serialize({})).toThrow(/Decimal must be/);
  });

  it('parses variables (strings and numbers) and literals as written', () => {
    expect(DecimalScalar.parseValue('0.10')).toBe('0.1');
    expect(DecimalScalar.parseValue(0.1)).toBe('0.1');
    expect(DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: '0.30' })).toBe('0.3');
    expect(DecimalScalar.parseLiteral({ kind: Kind.INT, value: '42' })).toBe('42');
    expect(DecimalScalar.parseLiteral({ kind: Kind.STRING, value: '9.99' })).toBe('9.99');
    expect(() => DecimalScalar.parseLiteral({ kind: Kind.BOOLEAN, value: true })).toThrow(/Decimal must be/);
    expect(() => DecimalScalar.parseValue('twelve')).toThrow(/Decimal must be a decimal number/);
  });
});
