import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Order } from './order.entity';

/**
 * One line of an order. For every line: quantity = allocated + backordered + shipped + cancelled, where allocated
 * counts units reserved in a warehouse or on their way to one by transfer, backordered counts units waiting for
 * supply or for a supplier to ship them. The database checks it. A line may reach quantity 0 when a split moves
 * all of it to the new order.
 */
@Entity({ tableName: 'order_line' })
@Unique({ properties: ['order', 'lineNo'] })
@Index({
  name: 'order_line_open_backorder_sku_index',
  expression: 'create index "order_line_open_backorder_sku_index" on "order_line" ("sku") where "backordered_quantity" > 0',
})
@Check({
  name: 'order_line_quantities_add_up',
  expression:
    'quantity >= 0 and allocated_quantity >= 0 and backordered_quantity >= 0 and shipped_quantity >= 0 and cancelled_quantity >= 0 and quantity = allocated_quantity + backordered_quantity + shipped_quantity + cancelled_quantity',
})
export class OrderLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Rel<Order>;

  @Property({ type: 'integer' })
  lineNo!: number;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  /**
   * Exact: numeric(19,4), read and written as a decimal string ("12.5"), never a binary float. A decimal rather
   * than integer minor units, so the stored value means the same whatever the currency's minor unit, and SQL sums
   * are exact without a scale to carry along.
   */
  @Property({ type: 'decimal', precision: 19, scale: 4, default: 0 })
  unitPrice: string = '0';

  @Property({ type: 'integer', default: 0 })
  allocatedQuantity: number = 0;

  /** Before the first allocation every unit counts as backordered, so the line always adds up. */
  @Property({ type: 'integer', default: 0 })
  backorderedQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  shippedQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  cancelledQuantity: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  eta?: Date | null;
}
