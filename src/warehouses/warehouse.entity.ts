import { Collection, Entity, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'warehouse' })
export class Warehouse {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  @Unique()
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The region the warehouse itself stands in. */
  @Property({ type: 'text' })
  region!: string;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @OneToMany(() => ShippingLane, (lane) => lane.warehouse, { orphanRemoval: true })
  shippingLanes = new Collection<ShippingLane>(this);

  @OneToMany(() => TransferLane, (lane) => lane.fromWarehouse, { orphanRemoval: true })
  transferLanes = new Collection<TransferLane>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** How many days and at what cost a parcel from a warehouse reaches a region. */
@Entity({ tableName: 'shipping_lane' })
@Unique({ properties: ['warehouse', 'region'] })
export class ShippingLane {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Warehouse, { deleteRule: 'cascade' })
  warehouse!: Rel<Warehouse>;

  @Property({ type: 'text' })
  region!: string;

  @Property({ type: 'integer' })
  days!: number;

  @Property({ type: 'double' })
  cost: number = 0;
}

/** How many days and at what cost stock moves from one warehouse to another. */
@Entity({ tableName: 'transfer_lane' })
@Unique({ properties: ['fromWarehouse', 'toWarehouse'] })
export class TransferLane {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Warehouse, { deleteRule: 'cascade' })
  fromWarehouse!: Rel<Warehouse>;

  @ManyToOne(() => Warehouse, { deleteRule: 'cascade' })
  toWarehouse!: Rel<Warehouse>;

  @Property({ type: 'integer' })
  days!: number;

  @Property({ type: 'double' })
  cost: number = 0;
}
