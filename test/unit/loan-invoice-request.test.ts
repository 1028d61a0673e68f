import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLoanInvoiceRequest, LoanInvoiceCommand, MAX_LOAN_INVOICE_LINES } from '../../src/invoicing/loan-invoice-request';
import { settledLines } from '../../src/loans/loan.service';
import { DomainError } from '../../src/shared/errors';

const LOAN_ID = '7d3f0c1e-2b1a-4c5d-9e8f-0a1b2c3d4e5f';
const request = (extra: Partial<LoanInvoiceCommand> = {}): LoanInvoiceCommand => ({
  loanId: LOAN_ID,
  expectedVersion: 1,
  currency: 'EUR',
  lines: [{ sku: 'DEMO', quantity: 2, unitPrice: '19.99' }],
  ...extra,
});
const refusal = (run: () => unknown): { code: string; field: unknown } | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, field: error.details?.field };
  }
};

describe('checkLoanInvoiceRequest', () => {
  it('keeps a valid request, prices as canonical decimals, cashSale false unless true', () => {
    expect(
      checkLoanInvoiceRequest(
        request({
          taxRate: '12.50',
          lines: [
            { sku: 'DEMO', quantity: 2, unitPrice: '19.90' },
            { sku: 'KIT', quantity: 1, unitPrice: 0 },
          ],
        }),
      ),
    ).toEqual({
      loanId: LOAN_ID,
      expectedVersion: 1,
      currency: 'EUR',
      taxRate: '12.5',
      cashSale: false,
      lines: [
        { sku: 'DEMO', quantity: 2, unitPrice: '19.9' },
        { sku: 'KIT', quantity: 1, unitPrice: '0' },
      ],
    });
    expect(checkLoanInvoiceRequest(request({ cashSale: true })).cashSale).toBe(true);
    expect(checkLoanInvoiceRequest(request()).taxRate).toBeNull();
  });

  it('refuses each bad field with its code and path', () => {
    const cases: Array<[Partial<LoanInvoiceCommand>, string, unknown]> = [
      [{ loanId: 'LN-1' }, 'NOT_FOUND', undefined],
      [{ expectedVersion: 0 }, 'BAD_USER_INPUT', 'expectedVersion'],
      [{ expectedVersion: 1.5 }, 'BAD_USER_INPUT', 'expectedVersion'],
      [{ currency: 'eur' }, 'BAD_USER_INPUT', 'currency'],
      [{ lines: [] }, 'BAD_USER_INPUT', 'lines'],
      [{ lines: [{ sku: '', quantity: 1, unitPrice: '1' }] }, 'BAD_USER_INPUT', 'lines[0].sku'],
      [{ lines: [{ sku: 'DEMO', quantity: 0, unitPrice: '1' }] }, 'BAD_USER_INPUT', 'lines[0].quantity'],
      [{ lines: [{ sku: 'DEMO', quantity: -3, unitPrice: '1' }] }, 'BAD_USER_INPUT', 'lines[0].quantity'],
      [{ lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '-0.01' }] }, 'BAD_USER_INPUT', 'lines[0].unitPrice'],
      [{ lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '1.001' }] }, 'BAD_USER_INPUT', 'lines[0].unitPrice'],
      [{ currency: 'JPY', lines: [{ sku: 'DEMO', quantity: 1, unitPrice: '1.5' }] }, 'BAD_USER_INPUT', 'lines[0].unitPrice'],
      [{ lines: [{ sku: 'DEMO', quantity: 1, unitPrice: null as never }] }, 'BAD_USER_INPUT', 'lines[0].unitPrice'],
      [
        {
          lines: [
            { sku: 'DEMO', quantity: 1, unitPrice: '1' },
            { sku: 'DEMO', quantity: 1, unitPrice: '2' },
          ],
        },
        'BAD_USER_INPUT',
        'lines[1].sku',
      ],
      [{ taxRate: '100.5' }, 'BAD_USER_INPUT', 'taxRate'],
      [{ taxRate: '-1' }, 'BAD_USER_INPUT', 'taxRate'],
    ];
    for (const [extra, code, field] of cases)
      expect(
        refusal(() => checkLoanInvoiceRequest(request(extra))),
        JSON.stringify(extra),
      ).toEqual({ code, field });
    const many = Array.from({ length: MAX_LOAN_INVOICE_LINES + 1 }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPrice: '1' }));
    expect(refusal(() => checkLoanInvoiceRequest(request({ lines: many })))).toEqual({ code: 'BAD_USER_INPUT', field: 'lines' });
  });

  it('property: any price with at most two decimals passes in EUR unchanged in value, any finer one is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 9 }), (cents, extra) => {
        const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        const [line] = checkLoanInvoiceRequest(request({ lines: [{ sku: 'DEMO', quantity: 1, unitPrice: price }] })).lines;
        expect(Number(line.unitPrice)).toBeCloseTo(cents / 100, 6);
        expect(refusal(() => checkLoanInvoiceRequest(request({ lines: [{ sku: 'DEMO', quantity: 1, unitPrice: `${price}${extra}` }] })))?.code).toBe(
          'BAD_USER_INPUT',
        );
      }),
    );
  });
});

describe('settledLines (what a sale of a loan may take)', () => {
  const loan = {
    reference: 'LN-7',
    lines: [
      { sku: 'DEMO', out: 3 },
      { sku: 'KIT', out: 0 },
    ],
  };

  it('takes at most what is still out of SKUs on the loan', () => {
    expect(settledLines(loan, [{ sku: 'DEMO', quantity: 3 }])).toEqual([{ sku: 'DEMO', quantity: 3 }]);
    expect(refusal(() => settledLines(loan, [{ sku: 'DEMO', quantity: 4 }]))?.code).toBe('BAD_USER_INPUT');
    expect(refusal(() => settledLines(loan, [{ sku: 'KIT', quantity: 1 }]))?.code).toBe('BAD_USER_INPUT');
    expect(refusal(() => settledLines(loan, [{ sku: 'MUG', quantity: 1 }]))?.code).toBe('BAD_USER_INPUT');
  });

  it('property: a request is taken whole exactly when every SKU is on the loan and within what is out', () => {
    fc.assert(
      fc.property(fc.constantFrom('DEMO', 'KIT', 'MUG'), fc.integer({ min: 1, max: 6 }), (sku, quantity) => {
        const out = loan.lines.find((l) => l.sku === sku)?.out ?? -1;
        const answer = refusal(() => settledLines(loan, [{ sku, quantity }]));
        expect(answer === undefined).toBe(quantity <= out);
      }),
    );
  });
});
