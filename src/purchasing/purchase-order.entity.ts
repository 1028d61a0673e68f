import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export enum PurchaseOrderStatus {
  /** A suggestion raised by a reorder signal, not yet sent to the supplier. */
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  PARTIALLY_RECEIVED = 'PARTIALLY_RECEIVED',
  RECEIVED = 'RECEIVED',
  CANCELLED = 'CANCELLED',
}

/** Confirmed with the supplier and not fully received: its open quantity is incoming supply. */
export const INBOUND_PURCHASE_ORDER_STATUSES: readonly PurchaseOrderStatus[] = [PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED];

@Entity({ tableName: 'purchase_order' })
export class PurchaseOrder {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'bigint', autoincrement: true, unique: true })
  number!: string;

  @Enum({ items: () => PurchaseOrderStatus })
  status!: PurchaseOrderStatus;

  @Property({ type: 'text' })
  supplier!: string;

  /** The receiving warehouse; null when the supplier delivers straight to a customer. */
  @Property({ type: 'text', nullable: true })
  warehouseCode?: string | null;

  @Property({ type: 'timestamptz' })
  expectedAt!: Date;

  @Property({ type: 'boolean', default: false })
  suggested: boolean = false;

  @Property({ type: 'uuid', nullable: true })
  dropShipOrderId?: string | null;

  /** Why the system raised it (reorder signals), or a buyer's remark. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @OneToMany(() => PurchaseOrderLine, (line) => line.purchaseOrder, { orderBy: { sku: 'asc' } })
  lines = new Collection<PurchaseOrderLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'purchase_order_line' })
@Index({ properties: ['sku'] })
@Check({
  name: 'purchase_order_line_received_within_quantity',
  expression: 'quantity > 0 and received_quantity >= 0 and received_quantity <= quantity',
})
export class PurchaseOrderLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PurchaseOrder, { deleteRule: 'cascade' })
  purchaseOrder!: Rel<PurchaseOrder>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'integer', default: 0 })
  receivedQuantity: number = 0;
}
