import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';

/** ISO 8601 date-time scalar (graphql-scalars): serialises Date as `2026-12-03T00:00:00.000Z`, parses into Date. */
export const DateTimeScalar = DateTimeResolver;

@ObjectType('PageInfo')
export class PageInfoGql {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page' })
  endCursor!: string | null;
}

export interface EdgeShape<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Array<EdgeShape<T>>;
  pageInfo: PageInfoGql;
  totalCount: number;
}

/**
 * `<Name>Connection { edges { cursor node } pageInfo totalCount }` and `<Name>Edge` for a node type. A `Page`
 * from src/shared/pagination.ts has exactly this shape, so resolvers return it as it is.
 */
export function connectionType<TNode extends object>(name: string, nodeType: ClassType<TNode>): ClassType<ConnectionShape<TNode>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfoGql)
    pageInfo!: PageInfoGql;

    @Field(() => Int, { description: 'How many nodes match, over all pages' })
    totalCount!: number;
  }

  return Connection;
}
