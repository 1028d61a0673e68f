import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The last number issued in one series per year ("INV-2026"). Numbers are taken under this row's lock inside the
 * issuing transaction (take-document-number.ts), never from a sequence: a rolled-back issue gives its number back.
 */
@Entity({ tableName: 'document_counter' })
export class DocumentCounter {
  @PrimaryKey({ type: 'text' })
  series!: string;

  @Property({ type: 'integer', default: 0 })
  lastNumber: number = 0;
}
