import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentSeries } from './invoicing.enums';

const DIGITS = 6;

/** INV-2026-000001. */
export const formatSeriesNumber = (series: string, n: number): string => `${series}-${String(n).padStart(DIGITS, '0')}`;

/**
 * The next number of a series for this year (`INV-2026-000042`), gap-free. Call inside the issuing transaction: the
 * upsert locks the series' counter row until that transaction ends, so concurrent issues queue on it and take
 * consecutive numbers, and a transaction that rolls back gives its number back with the counter's change. The
 * year is the transaction's (UTC), the same `now()` the document's issuedAt defaults to.
 */
export async function takeDocumentNumber(em: EntityManager, prefix: DocumentSeries): Promise<string> {
  const [row]: Array<{ series: string; last_number: number }> = await em.execute(
    `insert into document_counter (series, last_number) values (? || '-' || to_char(now() at time zone 'UTC', 'YYYY'), 1)
     on conflict (series) do update set last_number = document_counter.last_number + 1
     returning series, last_number`,
    [prefix],
  );
  return formatSeriesNumber(row.series, row.last_number);
}
