import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Product } from '../catalog/product.entity';
import { Warehouse } from '../warehouses/warehouse.entity';

/**
 * Units of one product in one warehouse. The check constraints are the last line against overselling:
 * whatever the application does, the database refuses reserved > on hand.
 */
@Entity({ tableName: 'stock_level' })
@Unique({ properties: ['product', 'warehouse'] })
@Check({ name: 'stock_level_reserved_within_on_hand', expression: 'reserved_quantity >= 0 and reserved_quantity <= on_hand_quantity' })
@Check({ name: 'stock_level_on_hand_not_negative', expression: 'on_hand_quantity >= 0 and safety_stock >= 0' })
@Check({ name: 'stock_level_on_loan_not_negative', expression: 'on_loan_quantity >= 0' })
export class StockLevel {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Product, { fieldName: 'sku', deleteRule: 'cascade' })
  product!: Rel<Product>;

  @ManyToOne(() => Warehouse, { deleteRule: 'cascade' })
  warehouse!: Rel<Warehouse>;

  @Property({ type: 'integer', default: 0 })
  onHandQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  reservedQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  safetyStock: number = 0;

  /** Units lent to customers from here (src/loans/): still owned, not on hand, never available. */
  @Property({ type: 'integer', default: 0 })
  onLoanQuantity: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
