import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { FulfilmentPolicy } from './enums';
import type { AllocationSettingsPatch } from '../../../allocation/allocation-settings';

type AllocationWeightsPatch = NonNullable<AllocationSettingsPatch['weights']>;

@ObjectType('AllocationWeights', { description: 'How the allocator trades arrival date, cost and number of parcels' })
export class AllocationWeightsGql {
  @Field(() => Float)
  eta!: number;

  @Field(() => Float)
  cost!: number;

  @Field(() => Float)
  parcels!: number;
}

@ObjectType('AllocationSettings')
export class AllocationSettingsGql {
  @Field(() => FulfilmentPolicy)
  defaultFulfilmentPolicy!: FulfilmentPolicy;

  @Field(() => Int)
  maxWarehousesPerOrder!: number;

  @Field(() => Int, { description: 'A transfer beats a split shipment when it arrives at most this many days later' })
  preferTransferWithinDays!: number;

  @Field(() => Boolean)
  allowDropShip!: boolean;

  @Field(() => AllocationWeightsGql)
  weights!: AllocationWeightsGql;
}

@InputType('AllocationWeightsInput')
export class AllocationWeightsInput implements AllocationWeightsPatch {
  @Field(() => Float, { nullable: true })
  eta?: number | null;

  @Field(() => Float, { nullable: true })
  cost?: number | null;

  @Field(() => Float, { nullable: true })
  parcels?: number | null;
}

@InputType('AllocationSettingsInput', { description: 'Fields left out keep their value' })
export class AllocationSettingsInput implements AllocationSettingsPatch {
  @Field(() => FulfilmentPolicy, { nullable: true })
  defaultFulfilmentPolicy?: FulfilmentPolicy | null;

  @Field(() => Int, { nullable: true, description: '1 or more' })
  maxWarehousesPerOrder?: number | null;

  @Field(() => Int, { nullable: true, description: '0 or more' })
  preferTransferWithinDays?: number | null;

  @Field(() => Boolean, { nullable: true })
  allowDropShip?: boolean | null;

  @Field(() => AllocationWeightsInput, { nullable: true })
  weights?: AllocationWeightsInput | null;
}
