import { Collection, Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { PurchaseOrder } from './purchase-order.entity';

/**
 * One goods receipt of a purchase order, as it was received. Allocation runs in the worker after the receipt
 * commits; the first allocation batch that plans its SKUs records which backorders it served (`served`) and sets
 * `servedAt`.
 */
@Entity({ tableName: 'goods_receipt' })
@Index({ properties: ['purchaseOrder'] })
export class GoodsReceipt {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PurchaseOrder, { deleteRule: 'cascade' })
  purchaseOrder!: Rel<PurchaseOrder>;

  /** The receiving warehouse; null for a drop-ship order delivered to the customer. */
  @Property({ type: 'text', nullable: true })
  warehouseCode?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  servedAt?: Date | null;

  @OneToMany(() => GoodsReceiptLine, (line) => line.receipt, { orderBy: { sku: 'asc' } })
  lines = new Collection<GoodsReceiptLine>(this);
}

@Entity({ tableName: 'goods_receipt_line' })
export class GoodsReceiptLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => GoodsReceipt, { deleteRule: 'cascade' })
  receipt!: Rel<GoodsReceipt>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;
}

/** Units of a receipt's SKU that went to a waiting order. */
@Entity({ tableName: 'goods_receipt_served' })
@Index({ properties: ['receipt'] })
export class GoodsReceiptServed {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => GoodsReceipt, { deleteRule: 'cascade' })
  receipt!: Rel<GoodsReceipt>;

  @Property({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;
}
