import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getNamedType, GraphQLError, isIntrospectionType, Lexer, Source, TokenKind, ValidationContext, ValidationRule } from 'graphql';
import type { AppConfig } from '../../config/config';
import { DEFAULT_PAGE_SIZE } from '../../shared/pagination';
import { limitError, LimitReason } from './limit-error';
import { maxCostRule, UNPAGED_LIST_SIZE } from './query-cost';

export type QueryLimitConfig = Pick<
  AppConfig,
  'isProduction' | 'maxQueryDepth' | 'maxQueryCost' | 'maxQueryAliases' | 'maxQueryTokens' | 'maxPageSize'
>;

/**
 * graphql-armor's rules report through `onReject`; this turns that report into our refusal (BAD_USER_INPUT with the
 * limit's name) instead of armor's throw, so graphql collects it like any validation error.
 */
function reportAs(reason: LimitReason, limit: number, describe: (armorMessage: string) => string) {
  return {
    propagateOnRejection: false,
    exposeLimits: true,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const armorMessage = error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
        context?.reportError(limitError(reason, describe(armorMessage), limit));
      },
    ],
  };
}

/** Refuses introspection (production) over HTTP and websockets alike, named INTROSPECTION_DISABLED. */
const noIntrospectionRule: ValidationRule = (context) => {
  let reported = false;
  return {
    Field(node) {
      const type = getNamedType(context.getType());
      if (reported || !type || !isIntrospectionType(type)) return;
      reported = true;
      context.reportError(limitError('INTROSPECTION_DISABLED', `Introspection is disabled in production (field "${node.name.value}")`));
    },
  };
};

/**
 * Validation rules added to graphql's own, for HTTP (Apollo's validationRules) and websockets (ws-operations.ts)
 * alike: depth, aliases and estimated cost, and, in production, no introspection.
 */
export function queryValidationRules(config: QueryLimitConfig): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: config.maxQueryDepth,
      ...reportAs('MAX_QUERY_DEPTH', config.maxQueryDepth, (message) => `${message} (maxQueryDepth)`),
    }) as unknown as ValidationRule,
    maxAliasesRule({
      n: config.maxQueryAliases,
      ...reportAs('MAX_QUERY_ALIASES', config.maxQueryAliases, (message) => `${message} (maxQueryAliases)`),
    }) as unknown as ValidationRule,
    maxCostRule({
      maxCost: config.maxQueryCost,
      maxPageSize: config.maxPageSize,
      defaultPageSize: DEFAULT_PAGE_SIZE,
      listSize: UNPAGED_LIST_SIZE,
    }),
  ];
  if (config.isProduction) rules.push(noIntrospectionRule);
  return rules;
}

/**
 * Counts the lexical tokens of a document, stopping at `limit + 1`; syntax errors end the count (the parser
 * reports them). Checked before parsing, so a huge document costs no more than reading `limit` tokens.
 */
export function countTokens(query: string, limit: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= limit && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    return count;
  }
  return count;
}

/** The refusal of a document with more than maxQueryTokens tokens, or undefined when it is within the limit. */
export function tokenLimitError(query: unknown, maxTokens: number): GraphQLError | undefined {
  if (typeof query !== 'string') return undefined;
  if (countTokens(query, maxTokens) <= maxTokens) return undefined;
  return limitError('MAX_QUERY_TOKENS', `The query has more than ${maxTokens} tokens, the limit (maxQueryTokens)`, maxTokens);
}
