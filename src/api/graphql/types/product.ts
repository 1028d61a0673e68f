import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from './decimal';
import { BackorderPolicy, FulfilmentPolicy } from './enums';
import type { ProductInput as ProductCommand } from '../../../catalog/product.service';

@ObjectType('Product')
export class ProductGql {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => BackorderPolicy)
  backorderPolicy!: BackorderPolicy;

  @Field(() => Int, { description: 'Below this many available units a reorder is suggested' })
  reorderPoint!: number;

  @Field(() => Int)
  reorderQuantity!: number;

  @Field(() => Int)
  leadTimeDays!: number;

  @Field(() => Boolean, { description: 'The supplier may ship straight to customers' })
  dropShip!: boolean;

  @Field(() => String, { nullable: true, description: 'Where drop-ship and reorder purchase orders go' })
  supplier!: string | null;

  @Field(() => FulfilmentPolicy, {
    nullable: true,
    description: 'Default policy of orders of this product that choose none; wins over the channel default (setProductFulfilmentPolicy)',
  })
  fulfilmentPolicy!: FulfilmentPolicy | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Percent tax on invoice lines of this product, unless the order names its own rate (none: 0)',
  })
  taxRate!: string | null;
}

@InputType('ProductInput', { description: 'Creates or updates the product with this SKU; fields left out keep their value' })
export class ProductInput implements ProductCommand {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { nullable: true })
  leadTimeDays?: number | null;

  @Field(() => Int, { nullable: true })
  reorderPoint?: number | null;

  @Field(() => Int, { nullable: true })
  reorderQuantity?: number | null;

  @Field(() => Boolean, { nullable: true })
  dropShip?: boolean | null;

  @Field(() => String, { nullable: true })
  supplier?: string | null;

  @Field(() => BackorderPolicy, { nullable: true })
  backorderPolicy?: BackorderPolicy | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Percent, 0 to 100, at most 4 decimals ("25", "12.5")' })
  taxRate?: string | null;
}
