import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../../src/api/graphql/resolvers';
import { buildApiSchema, printApiSchema } from '../../src/api/schema';

const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');

describe('GraphQL schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildApiSchema();
  });

  it('matches the committed schema/schema.graphql', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const generated = printApiSchema(schema);
    if (committed !== generated) {
      expect.fail('schema/schema.graphql is out of date with the resolvers: run npm run schema:emit and commit the result');
    }
  });

  it('has every operation of the API contract', () => {
    const fields = (type: 'Query' | 'Mutation' | 'Subscription') => Object.keys((schema.getType(type) as any).getFields());
    expect(fields('Query')).toEqual(
      expect.arrayContaining([
        'warehouses',
        'product',
        'stockLevels',
        'availability',
        'order',
        'orders',
        'backorders',
        'allocationSettings',
        'purchaseOrders',
        'transfers',
      ]),
    );
    expect(fields('Mutation')).toEqual(
      expect.arrayContaining([
        'upsertWarehouse',
        'upsertProduct',
        'adjustStock',
        'placeOrder',
        'cancelOrderLine',
        'createPurchaseOrder',
        'receivePurchaseOrder',
        'shipShipment',
        'updateAllocationSettings',
        'updatePurchaseOrder',
        'dispatchTransfer',
        'receiveTransfer',
      ]),
    );
    expect(fields('Subscription')).toEqual(expect.arrayContaining(['orderUpdated', 'orderEvents', 'stockChanged']));
  });

  it('puts @Authorized on every query, mutation and subscription (no token: nothing)', () => {
    const storage = getMetadataStorage();
    const operations = [...storage.queries, ...storage.mutations, ...storage.subscriptions].filter((op) => resolvers.includes(op.target));
    expect(operations.length).toBeGreaterThan(10);
    const unguarded = operations.filter((op) => op.roles === undefined).map((op) => `${op.target.name}.${op.methodName}`);
    expect(unguarded, 'add @Authorized(...) to these operations').toEqual([]);
  });
});
