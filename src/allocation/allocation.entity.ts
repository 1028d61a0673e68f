import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from '../orders/order.entity';
import { OrderLine } from '../orders/order-line.entity';
import { PurchaseOrderLine } from '../purchasing/purchase-order.entity';
import { Shipment } from '../shipments/shipment.entity';
import { Transfer } from '../transfers/transfer.entity';
import { AllocationKind, AllocationStatus } from './allocation.enums';

/** How some units of an order line are covered, and why. */
@Entity({ tableName: 'allocation' })
@Index({ properties: ['order'] })
@Index({ properties: ['orderLine', 'status'] })
@Index({ properties: ['purchaseOrderLine', 'status'] })
export class Allocation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  // No foreign key of its own: the line's key already ties the row to its order (and deletes it with it), and the
  // second check was one more trigger per row (about 60-90 ms for the 10,000 allocations of one receipt).
  @ManyToOne(() => Order, { createForeignKeyConstraint: false })
  order!: Rel<Order>;

  @ManyToOne(() => OrderLine, { deleteRule: 'cascade' })
  orderLine!: Rel<OrderLine>;

  @Enum({ items: () => AllocationKind })
  kind!: AllocationKind;

  @Enum({ items: () => AllocationStatus, default: AllocationStatus.ACTIVE })
  status: AllocationStatus = AllocationStatus.ACTIVE;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  /** The warehouse that ships these units (null for drop ship, and for waits on the lead time). */
  @Property({ type: 'text', nullable: true })
  warehouseCode?: string | null;

  /** Where a transfer takes the units from. */
  @Property({ type: 'text', nullable: true })
  sourceWarehouseCode?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  eta?: Date | null;

  @Property({ type: 'text' })
  reason!: string;

  @ManyToOne(() => PurchaseOrderLine, { nullable: true, deleteRule: 'set null' })
  purchaseOrderLine?: Rel<PurchaseOrderLine> | null;

  @ManyToOne(() => Transfer, { nullable: true, deleteRule: 'set null' })
  transfer?: Rel<Transfer> | null;

  @ManyToOne(() => Shipment, { nullable: true, deleteRule: 'set null' })
  shipment?: Rel<Shipment> | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
