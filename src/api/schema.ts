import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type ClassType } from 'type-graphql';
import { authChecker } from './auth';
import { DateTimeScalar } from './graphql/types/common';
import './graphql/types/enums';
import { resolvers } from './graphql/resolvers';
import { AvailabilityGql } from './graphql/types/availability';
import { BackorderConnection, BackorderFilter, OrderConnection, OrderFilter, PlaceOrderInput } from './graphql/types/order';
import {
  PurchaseOrderConnection,
  PurchaseOrderFilter,
  PurchaseOrderInput,
  ReceiptInput,
  UpdatePurchaseOrderInput,
} from './graphql/types/purchase-order';
import { ShipInput, ShipmentGql } from './graphql/types/shipment';
import { TransferConnection, TransferFilter, TransferGql, TransferReceiptInput } from './graphql/types/transfer';
import { guardArguments } from './validation/validate-arguments';

/**
 * Contract types whose operations may not have a resolver yet: listed so the schema always shows the whole
 * contract. Types reached from a resolver need no entry here.
 */
const contractTypes: ClassType[] = [
  AvailabilityGql,
  OrderConnection,
  BackorderConnection,
  OrderFilter,
  BackorderFilter,
  PlaceOrderInput,
  PurchaseOrderConnection,
  PurchaseOrderFilter,
  PurchaseOrderInput,
  ReceiptInput,
  UpdatePurchaseOrderInput,
  ShipmentGql,
  ShipInput,
  TransferGql,
  TransferConnection,
  TransferFilter,
  TransferReceiptInput,
];

/**
 * type-graphql insists on a pubSub when there are subscriptions, but ours subscribe through the per-server pubsub in
 * the context (`subscribe` option), which keeps the schema free of Redis. Topic-based subscriptions are not used.
 */
const contextPubSubOnly = {
  publish(): never {
    throw new Error('Publish through Redis (src/events/topics.ts), not through the schema');
  },
  subscribe(): never {
    throw new Error('Subscriptions subscribe through context.pubsub: use the `subscribe` option of @Subscription');
  },
};

/** The schema with every root field's arguments checked before it runs (src/api/validation). */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    orphanedTypes: contractTypes,
    authChecker,
    authMode: 'error',
    pubSub: contextPubSubOnly,
    // Shapes are checked by guardArguments, meaning by the domain services (DomainError BAD_USER_INPUT), not class-validator.
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  return guardArguments(schema);
}

/** The SDL as committed in schema/schema.graphql: sorted, so it only changes when the schema does. */
export function printApiSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
