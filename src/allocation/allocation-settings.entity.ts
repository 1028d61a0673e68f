import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The deployment's allocation settings: one row, a JSON document validated by the settings service. */
@Entity({ tableName: 'allocation_settings' })
export class AllocationSettingsRecord {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
