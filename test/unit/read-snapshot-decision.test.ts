import { parse, OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { needsReadSnapshot } from '../../src/api/read-snapshot';
import { buildApiSchema } from '../../src/api/schema';

const operation = (document: string) => parse(document).definitions[0] as OperationDefinitionNode;

describe('which queries need a read-snapshot transaction', () => {
  let schema: Awaited<ReturnType<typeof buildApiSchema>>;
  beforeAll(async () => {
    schema = await buildApiSchema();
  });

  it('not one storefront read on its own: its one statement is one committed state', () => {
    expect(needsReadSnapshot(schema, operation(`{ deliveryOptions(input: { region: "EU", lines: [{ sku: "A", quantity: 1 }] }) { eta } }`))).toBe(
      false,
    );
    expect(needsReadSnapshot(schema, operation(`query Q { __typename a: availability(sku: "A", quantity: 1) { eta } }`))).toBe(false);
    expect(needsReadSnapshot(schema, operation(`{ availabilities(items: [{ sku: "A", quantity: 1 }]) { eta } }`))).toBe(false);
  });

  it('every other query, and storefront reads beside anything else', () => {
    expect(needsReadSnapshot(schema, operation(`{ orders(first: 1) { totalCount } }`))).toBe(true);
    expect(
      needsReadSnapshot(schema, operation(`{ availability(sku: "A", quantity: 1) { eta } b: availability(sku: "B", quantity: 1) { eta } }`)),
    ).toBe(true);
    expect(needsReadSnapshot(schema, operation(`{ availability(sku: "A", quantity: 1) { eta } warehouses { code } }`))).toBe(true);
    expect(needsReadSnapshot(schema, operation(`{ ...F } fragment F on Query { availability(sku: "A", quantity: 1) { eta } }`))).toBe(true);
  });
});
