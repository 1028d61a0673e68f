import {
  GraphQLArgument,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { checkDecimal, checkText } from '../../shared/input-checks';
import { DEFAULT_LIST_RULE, FIELD_RULES, SCALAR_DEFAULTS, ValueCheck } from './argument-rules';

/** A scalar the rules do not know (one added later): text and numbers still get the basic checks. */
const unknownScalar: ValueCheck = (value, field) => {
  if (typeof value === 'string') checkText(value, field, { max: 200 });
  else if (typeof value === 'number') checkDecimal(value, field, { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
};

export const scalarCheckFor = (fieldName: string, scalarName: string): ValueCheck =>
  FIELD_RULES[fieldName]?.scalar ?? SCALAR_DEFAULTS[scalarName] ?? unknownScalar;

const listCheckFor = (fieldName: string): ValueCheck => FIELD_RULES[fieldName]?.list ?? DEFAULT_LIST_RULE;

/** Walks one value along its GraphQL input type; `name` is the argument or input field it belongs to. */
function checkValue(value: unknown, type: GraphQLInputType, name: string, path: string): void {
  if (value === null || value === undefined) return;
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) {
    listCheckFor(name)(value, path);
    (value as unknown[]).forEach((item, index) => checkValue(item, unwrapped.ofType, name, `${path}[${index}]`));
  } else if (isInputObjectType(unwrapped)) {
    const record = value as Record<string, unknown>;
    for (const field of Object.values(unwrapped.getFields())) checkValue(record[field.name], field.type, field.name, `${path}.${field.name}`);
  } else if (isScalarType(unwrapped)) {
    scalarCheckFor(name, unwrapped.name)(value, path);
  } else if (!isEnumType(unwrapped)) {
    throw new Error(`No argument check for the input type of ${path}`);
  }
}

/** Checks every argument of a field against the rules; throws the first problem as a DomainError naming its path. */
export function validateArguments(definitions: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const definition of definitions) checkValue(args[definition.name], definition.type, definition.name, definition.name);
}

/** Marks a root field whose arguments are checked; tests read it. */
export const ARGUMENTS_CHECKED = 'argumentsChecked';

function guard(field: GraphQLField<unknown, unknown>, kind: 'resolve' | 'subscribe'): void {
  const original = field[kind] as GraphQLFieldResolver<unknown, unknown> | undefined;
  if (!original) throw new Error(`Root field ${field.name} has no ${kind} function to guard`);
  field[kind] = (source, args, context, info) => {
    // No token: let @Authorized answer UNAUTHENTICATED, saying nothing about the input.
    if ((context as { principal?: unknown } | undefined)?.principal) validateArguments(field.args, args);
    return original(source, args, context, info);
  };
  field.extensions = { ...field.extensions, [ARGUMENTS_CHECKED]: true };
}

/**
 * Every Query and Mutation resolver, and every Subscription's subscribe, checks its arguments before it runs: ids,
 * text (control characters, lengths), numbers (ranges), dates, cursors and list sizes, by the rules in
 * argument-rules.ts. Applied to the built schema, so a resolver added later is covered without doing anything.
 * The check runs after authentication and before the resolver's role check, service and database.
 */
export function guardArguments(schema: GraphQLSchema): GraphQLSchema {
  const roots: Array<[GraphQLObjectType | null | undefined, 'resolve' | 'subscribe']> = [
    [schema.getQueryType(), 'resolve'],
    [schema.getMutationType(), 'resolve'],
    [schema.getSubscriptionType(), 'subscribe'],
  ];
  for (const [type, kind] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) guard(field, kind);
  }
  return schema;
}
