/** Human-facing document numbers: the database keeps the bare sequence number, people see a prefixed one. */
export const DOCUMENT_PREFIX = { order: 'SO', purchaseOrder: 'PO', transfer: 'TR', returnAuthorisation: 'RMA', loan: 'LN' } as const;

export type DocumentKind = keyof typeof DOCUMENT_PREFIX;

export function formatDocumentNumber(kind: DocumentKind, sequenceNumber: string | number): string {
  return `${DOCUMENT_PREFIX[kind]}-${sequenceNumber}`;
}

export const formatOrderNumber = (n: string | number) => formatDocumentNumber('order', n);
export const formatPurchaseOrderNumber = (n: string | number) => formatDocumentNumber('purchaseOrder', n);
export const formatTransferNumber = (n: string | number) => formatDocumentNumber('transfer', n);
export const formatReturnNumber = (n: string | number) => formatDocumentNumber('returnAuthorisation', n);
export const formatLoanNumber = (n: string | number) => formatDocumentNumber('loan', n);

/** Accepts `SO-1042`, `so-1042` or `1042`; returns the sequence number as a string, or null when it is not one. */
export function parseDocumentNumber(kind: DocumentKind, text: string): string | null {
  const match = new RegExp(`^(?:${DOCUMENT_PREFIX[kind]}-)?(\\d{1,18})$`, 'i').exec(text.trim());
  return match ? String(BigInt(match[1])) : null;
}
