import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { FulfilmentPolicy } from '../orders/order.enums';

export enum BackorderPolicy {
  /** Units no stock covers are taken and wait for supply (the default). */
  ALLOW = 'ALLOW',
  /** Orders may not ask for more than is available now. */
  DENY = 'DENY',
}

@Entity({ tableName: 'product' })
export class Product {
  @PrimaryKey({ type: 'text' })
  sku!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => BackorderPolicy, nativeEnumName: undefined, default: BackorderPolicy.ALLOW })
  backorderPolicy: BackorderPolicy = BackorderPolicy.ALLOW;

  @Property({ type: 'integer', default: 0 })
  reorderPoint: number = 0;

  @Property({ type: 'integer', default: 0 })
  reorderQuantity: number = 0;

  @Property({ type: 'integer', default: 14 })
  leadTimeDays: number = 14;

  @Property({ type: 'boolean', default: false })
  dropShip: boolean = false;

  @Property({ type: 'text', nullable: true })
  supplier?: string | null;

  /** The policy for orders of this product that choose none; wins over the channel's and the deployment's. */
  @Enum({ items: () => FulfilmentPolicy, nullable: true })
  fulfilmentPolicy?: FulfilmentPolicy | null;

  /** Percent tax on invoice lines of this product, unless the order names its own rate; none means 0. */
  @Property({ type: 'decimal', precision: 7, scale: 4, nullable: true })
  taxRate?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
