import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { FulfilmentPolicy } from './order.enums';

/** Defaults for the orders of one sales channel (`PlaceOrderInput.channel`); a channel without a row has none. */
@Entity({ tableName: 'sales_channel' })
export class SalesChannel {
  @PrimaryKey({ type: 'text' })
  channel!: string;

  /** Used when neither the order nor any of its products chooses a policy. */
  @Enum({ items: () => FulfilmentPolicy, nullable: true })
  fulfilmentPolicy?: FulfilmentPolicy | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
