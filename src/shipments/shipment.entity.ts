import { Check, Collection, Entity, Enum, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from '../orders/order.entity';
import { OrderLine } from '../orders/order-line.entity';

import { ShipmentStatus } from './shipment.enums';

export { OPEN_SHIPMENT_STATUSES, ShipmentStatus } from './shipment.enums';

/** One pick-pack-ship record: what one warehouse (or a drop-shipping supplier) sends for one order. */
@Entity({ tableName: 'shipment' })
@Index({ properties: ['order'] })
export class Shipment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Rel<Order>;

  @Property({ type: 'text', nullable: true })
  warehouseCode?: string | null;

  /** Set when a supplier ships straight to the customer. */
  @Property({ type: 'text', nullable: true })
  supplier?: string | null;

  @Enum({ items: () => ShipmentStatus })
  status!: ShipmentStatus;

  @Property({ type: 'text', nullable: true })
  trackingNumber?: string | null;

  @OneToMany(() => ShipmentLine, (line) => line.shipment)
  lines = new Collection<ShipmentLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  shippedAt?: Date | null;
}

@Entity({ tableName: 'shipment_line' })
@Check({ name: 'shipment_line_quantity_positive', expression: 'quantity > 0' })
export class ShipmentLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Shipment, { deleteRule: 'cascade' })
  shipment!: Rel<Shipment>;

  @ManyToOne(() => OrderLine, { deleteRule: 'cascade' })
  orderLine!: Rel<OrderLine>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;
}
