import type { ApolloServerPlugin } from '@apollo/server';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLSchema, Kind, OperationDefinitionNode } from 'graphql';
import type { ApiContext } from './context';

/** Field extension of a root query field that reads in one statement (see `readsInOneStatement`). */
export const READS_IN_ONE_STATEMENT = 'readsInOneStatement';

/**
 * `@Extensions(readsInOneStatement)` on a root query field whose resolver reads everything it answers in one SQL
 * statement, which is one committed state by itself, and whose result type has no field resolver that reads more.
 * A query asking only for that field gets no read-snapshot transaction (two round trips fewer); asked beside other
 * fields it runs in the shared snapshot as any other.
 */
export const readsInOneStatement = { [READS_IN_ONE_STATEMENT]: true };

/** False only for a query of one root field (besides `__typename`) marked `readsInOneStatement`. */
export function needsReadSnapshot(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const reading = operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
  if (reading.length !== 1 || reading[0].kind !== Kind.FIELD) return true;
  return schema.getQueryType()?.getFields()[reading[0].name.value]?.extensions?.[READS_IN_ONE_STATEMENT] !== true;
}

/**
 * One query request, one committed state: its reads run in a read-only REPEATABLE READ transaction on the request's
 * em, begun once the operation is known to be a query and ended (rolled back: nothing was written) before the
 * response goes out. Without it an `order` read while the worker commits could show PENDING beside 3 allocated
 * units. Mutations keep their own transactions; subscriptions never reach this plugin (they run over graphql-ws),
 * so no connection is held across a subscription.
 */
export function readSnapshotPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      let snapshot: EntityManager | null = null;
      const release = async () => {
        const em = snapshot;
        snapshot = null;
        if (em?.isInTransaction()) await em.rollback();
      };
      return {
        async didResolveOperation({ operation, contextValue, schema }) {
          if (operation?.operation !== 'query' || !needsReadSnapshot(schema, operation) || contextValue.em.isInTransaction()) return;
          await contextValue.em.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
          snapshot = contextValue.em;
        },
        async willSendResponse() {
          await release();
        },
      };
    },
  };
}
