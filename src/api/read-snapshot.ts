import type { ApolloServerPlugin } from '@apollo/server';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiContext } from './context';

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
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'query' || contextValue.em.isInTransaction()) return;
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
