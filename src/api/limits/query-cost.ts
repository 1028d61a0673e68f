import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLNamedType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { limitError } from './limit-error';

export interface QueryCostOptions {
  maxCost: number;
  /** What a `first: $variable` counts as: validation cannot see variables, so the most it may be. */
  maxPageSize: number;
  /** What a paged field without `first` counts as (the page size the API then uses). */
  defaultPageSize: number;
  /** What a list field without paging (an order's lines, events, ...) counts as. */
  listSize: number;
}

/** The estimate assumed for a list field that takes no `first`: an order's lines, events, shipments, allocations. */
export const UNPAGED_LIST_SIZE = 10;

interface CostScope {
  context: ValidationContext;
  options: QueryCostOptions;
  fragmentCosts: Map<string, number>;
  fragmentsInProgress: Set<string>;
}

/**
 * Estimated cost of an operation: every field counts 1, and a field's selection counts once per item it returns:
 * `first` items for a paged field (its `edges` then count once), `listSize` for other lists. So
 * `orders(first: 100) { edges { node { events { order { ... } } } } }` grows a hundredfold, then tenfold per list
 * level. Fragment costs are computed once each, so nested fragments cannot make this estimate itself expensive.
 */
export function operationCost(context: ValidationContext, operation: OperationDefinitionNode, options: QueryCostOptions): number {
  const rootType = context.getSchema().getRootType(operation.operation) ?? undefined;
  const scope: CostScope = { context, options, fragmentCosts: new Map(), fragmentsInProgress: new Set() };
  return selectionSetCost(scope, operation.selectionSet, rootType, false);
}

function selectionSetCost(scope: CostScope, set: SelectionSetNode, parentType: GraphQLNamedType | undefined, insidePage: boolean): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(scope, selection, parentType, insidePage);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? scope.context.getSchema().getType(selection.typeCondition.name.value) : parentType;
      total += selectionSetCost(scope, selection.selectionSet, type ?? undefined, insidePage);
    } else {
      const fragment = scope.context.getFragment(selection.name.value);
      if (fragment) total += fragmentCost(scope, fragment, insidePage);
    }
  }
  return total;
}

function fragmentCost(scope: CostScope, fragment: FragmentDefinitionNode, insidePage: boolean): number {
  const key = `${fragment.name.value}:${insidePage}`;
  const known = scope.fragmentCosts.get(key);
  if (known !== undefined) return known;
  // A fragment cycle is reported by graphql's NoFragmentCyclesRule; count it nothing here.
  if (scope.fragmentsInProgress.has(key)) return 0;
  scope.fragmentsInProgress.add(key);
  const type = scope.context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined;
  const cost = selectionSetCost(scope, fragment.selectionSet, type, insidePage);
  scope.fragmentsInProgress.delete(key);
  scope.fragmentCosts.set(key, cost);
  return cost;
}

function fieldCost(scope: CostScope, field: FieldNode, parentType: GraphQLNamedType | undefined, insidePage: boolean): number {
  const name = field.name.value;
  // Introspection is refused in production (limits.ts) and cheap; the schema is small.
  if (name === '__schema' || name === '__type') return 0;
  const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
  if (!definition || !field.selectionSet) return 1;
  const pageSize = pageSizeOf(field, definition, scope.options);
  const isList = isListType(getNullableType(definition.type));
  const perItem = pageSize ?? (isList && !insidePage ? scope.options.listSize : 1);
  return 1 + perItem * selectionSetCost(scope, field.selectionSet, getNamedType(definition.type), pageSize !== undefined);
}

/** The number of items a paged field (one that takes `first`) returns at most; undefined for other fields. */
function pageSizeOf(field: FieldNode, definition: GraphQLField<unknown, unknown>, options: QueryCostOptions): number | undefined {
  const declared = definition.args.find((arg) => arg.name === 'first');
  if (!declared) return undefined;
  const given = field.arguments?.find((arg) => arg.name.value === 'first')?.value;
  if (given?.kind === Kind.INT) return Math.max(0, Number.parseInt(given.value, 10));
  if (given?.kind === Kind.VARIABLE) return options.maxPageSize;
  return typeof declared.defaultValue === 'number' ? declared.defaultValue : options.defaultPageSize;
}

/** Refuses an operation whose estimated cost is above `maxCost`, naming the limit (maxQueryCost). */
export function maxCostRule(options: QueryCostOptions): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation, options);
      if (cost > options.maxCost) {
        const shown = Number.isFinite(cost) && cost < 1e15 ? String(Math.round(cost)) : 'far more';
        context.reportError(
          limitError(
            'MAX_QUERY_COST',
            `The query's estimated cost is ${shown}, above the limit of ${options.maxCost} (maxQueryCost): ask for smaller pages or fewer nested lists`,
            options.maxCost,
          ),
        );
      }
      return false;
    },
  });
}
