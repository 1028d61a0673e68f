import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { StockAdjustmentInput as StockAdjustmentCommand } from '../../../inventory/stock.service';

@ObjectType('StockLevel', { description: 'One product in one warehouse' })
export class StockLevelGql {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => Int, { description: 'Units physically in the warehouse' })
  onHand!: number;

  @Field(() => Int, { description: 'On-hand units promised to order lines, not yet shipped' })
  reserved!: number;

  @Field(() => Int)
  safetyStock!: number;

  @Field(() => Int, { description: 'Lent to customers from here (loans): still owned, not on hand, not available' })
  onLoan!: number;

  @Field(() => Int, { description: 'onHand − reserved − safetyStock, never below 0' })
  available!: number;

  @Field(() => Int, { description: 'Open purchase order units and planned or dispatched transfers into this warehouse' })
  incoming!: number;
}

@InputType('StockAdjustmentInput')
export class StockAdjustmentInput implements StockAdjustmentCommand {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  warehouseCode!: string;

  @Field(() => Int, { description: 'Units to add (positive) or remove (negative); never takes on hand below reserved' })
  delta!: number;

  @Field(() => String, { description: 'Why: a stock count, damage, a found pallet…' })
  reason!: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'When on hand would fall below what is reserved: release reservations (lowest priority, newest orders first, unshipped only) back to the backorder list, planned anew, instead of refusing with CONFLICT',
  })
  releaseReservations?: boolean | null;
}
