import { randomUUID } from 'node:crypto';
import {
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/api/schema';
import { ARGUMENTS_CHECKED } from '../../src/api/validation/validate-arguments';
import { DATABASE_REJECTED_INPUT } from '../../src/db/database-errors';
import { encodeCursor } from '../../src/shared/pagination';
import { gql, GqlError, gqlData, subscribe, tokenFor } from '../support/api-client';
import { startTestApi, TestApi } from '../support/api-server';

/**
 * Every argument of every Query, Mutation and Subscription field, read from the built schema, gets malformed values
 * one at a time (the rest of the arguments well-formed), sent as variables to a real API server with an admin token.
 * Each must be refused as BAD_USER_INPUT or NOT_FOUND naming the argument's path, by the checks before the services
 * (never by the database), and change no row. A new argument, input field or scalar type that these rules do not
 * know fails here until it is given a rule.
 */

/** ID fields that are not record ids (UUIDs) but references from outside: free text. */
const FREE_TEXT_IDS = new Set(['customerId']);
/** Int fields that may be negative. */
const SIGNED_INTS = new Set(['delta']);
/** Lists that must not be empty. */
const NON_EMPTY_LISTS = new Set(['lines']);
const ABOVE_ANY_LIST_LIMIT = 501;
const SQL_TEXT = /\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set|where)\b|"[a-z_]+"\."[a-z_]+"/i;

/** Tables whose contents must not change when input is refused. */
const TABLES = [
  'sales_order',
  'order_line',
  'order_event',
  'customer',
  'allocation',
  'allocation_request',
  'outbox_message',
  'stock_level',
  'product',
  'warehouse',
  'shipping_lane',
  'transfer_lane',
  'purchase_order',
  'purchase_order_line',
  'transfer',
  'transfer_line',
  'shipment',
  'shipment_line',
  'allocation_settings',
  'invoice',
  'invoice_line',
  'invoice_shipment',
  'credit_note',
  'credit_note_line',
  'document_counter',
  'webhook_endpoint',
  'webhook_delivery',
  'return_authorisation',
  'return_line',
  'return_receipt',
  'return_receipt_line',
  'exchange',
  'loan',
  'loan_line',
  'loan_event',
  'quote',
];

interface Variant {
  /** Where the malformed value sits: `input.lines[0].sku`. */
  path: string;
  label: string;
  value: unknown;
  /** False for values that are hostile but allowed (an empty optional list): only "no internal error" is asserted. */
  mustRefuse: boolean;
}

function wellFormedScalar(typeName: string, fieldName: string): unknown {
  switch (typeName) {
    case 'String':
      return fieldName === 'after' ? encodeCursor({ o: 0 }) : 'X';
    case 'ID':
      if (fieldName === 'allocationRequestId') return '1';
      return FREE_TEXT_IDS.has(fieldName) ? 'c-1' : randomUUID();
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Decimal':
      return '1.50';
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2026-12-01T00:00:00.000Z';
    default:
      throw new Error(`No well-formed value known for scalar ${typeName} (${fieldName}): teach this test and the argument rules about it`);
  }
}

/** A well-formed value with only the required fields of input objects filled in. */
function wellFormed(type: GraphQLInputType, fieldName: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [wellFormed(inner.ofType, fieldName)];
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = wellFormed(field.type, field.name);
    }
    return value;
  }
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isScalarType(inner)) return wellFormedScalar(inner.name, fieldName);
  throw new Error(`Unexpected input type ${String(inner)}`);
}

const HUGE = 'x'.repeat(20_000);

function malformedScalar(type: GraphQLNamedType, fieldName: string, path: string): Variant[] {
  const refuse = (label: string, value: unknown): Variant => ({ path, label, value, mustRefuse: true });
  const text = [
    refuse('NUL byte', 'A\u0000B'),
    refuse('control character', 'A\u0007B'),
    refuse('escape character', '\u001b[31m'),
    refuse('C1 control character', 'A\u0085B'),
    refuse('lone surrogate', 'A\ud800B'),
    refuse('20 000 characters', HUGE),
  ];
  if (isEnumType(type)) {
    return [
      refuse('unknown enum value', 'NOT_A_VALUE'),
      refuse('enum value in lower case', type.getValues()[0].name.toLowerCase()),
      refuse('number for an enum', 1),
    ];
  }
  switch (type.name) {
    case 'String':
      if (fieldName !== 'after') return text;
      return [
        ...text,
        refuse('garbage cursor', 'garbage!'),
        refuse('cursor of an absurd offset', encodeCursor({ o: 1e300 })),
        refuse('cursor of a negative offset', encodeCursor({ o: -1 })),
        refuse('cursor of a fractional offset', encodeCursor({ o: 1.5 })),
        refuse('cursor of a text offset', encodeCursor({ o: '1' })),
        refuse('cursor of a list', encodeCursor([1])),
        refuse('truncated cursor', encodeCursor({ o: 12 }).slice(0, 5)),
      ];
    case 'ID':
      if (FREE_TEXT_IDS.has(fieldName)) return text;
      return [
        refuse('not a UUID', 'not-a-uuid'),
        refuse('36 dashes', '-'.repeat(36)),
        refuse('UUID with a letter past f', 'zzzzzzzz-0000-4000-8000-000000000000'),
        refuse('UUID and a NUL byte', `${randomUUID()}\u0000`),
        refuse('empty', ''),
        refuse('20 000 characters', HUGE),
      ];
    case 'Int':
      return [
        refuse('above int4', 2_147_483_648),
        refuse('below int4', -2_147_483_649),
        refuse('int4 maximum (absurd)', 2_147_483_647),
        ...(SIGNED_INTS.has(fieldName) ? [refuse('int4 minimum (absurd)', -2_147_483_647)] : [refuse('negative', -1)]),
        refuse('fraction', 1.5),
        refuse('text', '1'),
      ];
    case 'Float':
      return [refuse('negative', -1), refuse('absurd', 1e308), refuse('text', '1')];
    case 'Decimal':
      return [
        refuse('negative', '-1'),
        refuse('absurd', '1e308'),
        refuse('words', 'twelve'),
        refuse('NUL byte', '1\u0000'),
        refuse('20 000 digits', '9'.repeat(20_000)),
        refuse('boolean', true),
      ];
    case 'Boolean':
      return [refuse('text', 'yes'), refuse('number', 1)];
    case 'DateTime':
      return [
        refuse('year 0', '0000-01-01T00:00:00Z'),
        refuse('30 February', '2026-02-30T00:00:00Z'),
        refuse('words', 'tomorrow'),
        refuse('six-digit year', '+275760-09-13T00:00:00Z'),
        refuse('NUL byte', '2026-12-01T00:00:00Z\u0000'),
      ];
    default:
      throw new Error(`No malformed values known for scalar ${type.name} at ${path}: teach this test and the argument rules about it`);
  }
}

/** Malformed values for one argument, one leaf at a time, each inside an otherwise well-formed value. */
function variants(type: GraphQLInputType, fieldName: string, path: string): Variant[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = wellFormed(inner.ofType, fieldName);
    return [
      { path, label: 'empty list', value: [], mustRefuse: NON_EMPTY_LISTS.has(fieldName) },
      { path, label: `${ABOVE_ANY_LIST_LIMIT} items`, value: Array.from({ length: ABOVE_ANY_LIST_LIMIT }, () => item), mustRefuse: true },
      ...(isNonNullType(inner.ofType) ? [{ path: `${path}[0]`, label: 'null item', value: [null], mustRefuse: true }] : []),
      ...variants(inner.ofType, fieldName, `${path}[0]`).map((v) => ({ ...v, value: [v.value] })),
    ];
  }
  if (isInputObjectType(inner)) {
    const base = wellFormed(inner, fieldName) as Record<string, unknown>;
    return Object.values(inner.getFields()).flatMap((field) =>
      variants(field.type, field.name, `${path}.${field.name}`).map((v) => ({ ...v, value: { ...base, [field.name]: v.value } })),
    );
  }
  return malformedScalar(inner, fieldName, path);
}

interface Probe {
  operation: 'query' | 'mutation' | 'subscription';
  field: string;
  document: string;
  variables: Record<string, unknown>;
  variant: Variant;
}

function probesFor(operation: Probe['operation'], field: GraphQLField<unknown, unknown>): Probe[] {
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const uses = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const document = `${operation} Probe(${declarations}) { ${field.name}(${uses})${selection} }`;
  const required = Object.fromEntries(
    field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined).map((arg) => [arg.name, wellFormed(arg.type, arg.name)]),
  );
  return field.args.flatMap((arg) =>
    variants(arg.type, arg.name, arg.name).map((variant) => ({
      operation,
      field: field.name,
      document,
      variables: { ...required, [arg.name]: variant.value },
      variant,
    })),
  );
}

function rootFields(schema: GraphQLSchema): Array<[Probe['operation'], GraphQLField<unknown, unknown>]> {
  const of = (operation: Probe['operation'], type: GraphQLObjectType | null | undefined) =>
    Object.values(type?.getFields() ?? {}).map((field) => [operation, field] as [Probe['operation'], GraphQLField<unknown, unknown>]);
  return [...of('query', schema.getQueryType()), ...of('mutation', schema.getMutationType()), ...of('subscription', schema.getSubscriptionType())];
}

/** What a refusal must look like: a contract code for bad input, naming the path, decided before the database. */
function refusalProblem(errors: readonly GqlError[] | undefined, path: string): string | null {
  const error = errors?.[0];
  if (!error) return 'was accepted';
  const code = error.extensions?.code;
  if (code !== 'BAD_USER_INPUT' && code !== 'NOT_FOUND') return `answered ${String(code)}: ${error.message}`;
  if (error.extensions?.reason === DATABASE_REJECTED_INPUT) return `reached the database: ${error.message}`;
  if (error.extensions?.stacktrace || SQL_TEXT.test(error.message)) return `leaks a stack or SQL: ${error.message}`;
  const details = error.extensions?.details as { field?: unknown } | undefined;
  const named = details?.field === path || error.message.includes(`"${path}"`) || error.message.includes(`"$${path}"`);
  return named ? null : `does not name ${path}: ${error.message}`;
}

describe('every argument of every operation, malformed', () => {
  let api: TestApi;
  let schema: GraphQLSchema;
  const admin = tokenFor('admin');

  const fingerprint = async (): Promise<string> => {
    const parts = TABLES.map((table) => `(select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from ${table} t)`);
    const [row] = await api.orm.em.fork().execute(`select concat_ws(' ', ${parts.join(', ')}) as fingerprint`);
    return row.fingerprint;
  };

  const answerOf = async (probe: Probe): Promise<readonly GqlError[] | undefined> => {
    if (probe.operation !== 'subscription') return (await gql(api.url, probe.document, probe.variables, admin)).errors;
    const subscription = subscribe(api.wsUrl, probe.document, probe.variables, admin);
    try {
      return (await subscription.next(3000)).errors as GqlError[] | undefined;
    } catch {
      return [{ message: 'no answer within 3 s: the subscription was accepted', extensions: { code: 'ACCEPTED' } }];
    } finally {
      await subscription.close();
    }
  };

  beforeAll(async () => {
    api = await startTestApi();
    schema = await buildApiSchema();
    // Well-formed values name this warehouse and product, so a malformed value is the only thing wrong with a probe.
    await gqlData(
      api.url,
      `mutation { upsertWarehouse(input: { code: "X", name: "X", region: "X", shippingLanes: [{ region: "X", days: 1 }] }) { id } }`,
      {},
      admin,
    );
    await gqlData(api.url, `mutation { upsertProduct(input: { sku: "X", name: "X" }) { sku } }`, {}, admin);
    await gqlData(api.url, `mutation { adjustStock(input: { sku: "X", warehouseCode: "X", delta: 5, reason: "count" }) { onHand } }`, {}, admin);
  });
  afterAll(async () => api?.close());

  it('covers every root field: each is guarded, and each with arguments gets malformed values', () => {
    const fields = rootFields(schema);
    expect(fields.length).toBeGreaterThan(20);
    const unguarded = fields.filter(([, field]) => field.extensions?.[ARGUMENTS_CHECKED] !== true).map(([, field]) => field.name);
    expect(unguarded).toEqual([]);
    for (const [operation, field] of fields) {
      if (field.args.length > 0) expect(probesFor(operation, field).length, field.name).toBeGreaterThan(0);
    }
  });

  it('refuses each malformed value as BAD_USER_INPUT or NOT_FOUND naming its path, before the database, and changes nothing', async () => {
    const probes = rootFields(schema).flatMap(([operation, field]) => probesFor(operation, field));
    const refused = probes.filter((p) => p.variant.mustRefuse);
    expect(refused.length).toBeGreaterThan(300);
    const failures: string[] = [];
    let before = await fingerprint();
    for (const probe of refused) {
      const problem = refusalProblem(await answerOf(probe), probe.variant.path);
      const after = await fingerprint();
      const where = `${probe.field}(${probe.variant.path}) with ${probe.variant.label}`;
      if (problem) failures.push(`${where} ${problem}`);
      if (after !== before) failures.push(`${where} changed rows`);
      before = after;
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('answers hostile but allowed values (empty optional lists) without an internal error', async () => {
    const probes = rootFields(schema)
      .flatMap(([operation, field]) => probesFor(operation, field))
      .filter((p) => !p.variant.mustRefuse && p.operation !== 'subscription');
    expect(probes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const probe of probes) {
      const errors = await answerOf(probe);
      const code = errors?.[0]?.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR' || errors?.[0]?.extensions?.reason === DATABASE_REJECTED_INPUT) {
        failures.push(`${probe.field}(${probe.variant.path}) with ${probe.variant.label}: ${errors![0].message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
