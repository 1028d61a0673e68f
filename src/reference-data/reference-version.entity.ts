import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One row (id 1) whose version goes up in the same transaction as every change to the reference data (warehouses,
 * their lanes, the allocation settings, sales-channel defaults): a process holding a copy checks it in the same
 * statement as its other reads (src/reference-data/reference-cache.ts). No row yet means version 0.
 */
@Entity({ tableName: 'reference_data_version' })
export class ReferenceDataVersion {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: new BigIntType('number'), default: 0 })
  version: number = 0;
}
