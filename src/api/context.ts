import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../app/services';
import type { Principal } from '../auth/roles';
import type { ApiPubSub } from './pubsub';
import { createLoaders, Loaders } from './loaders';

/**
 * What every resolver receives. `em` is a fork for this request (HTTP) or this subscription (websocket; renewed
 * for every event by `renewRequestScope`), `loaders` batch field-resolver reads through it.
 */
export interface ApiContext {
  /** Null when the request carried no token; resolvers refuse it through @Authorized. */
  principal: Principal | null;
  em: EntityManager;
  services: Services;
  loaders: Loaders;
  pubsub: ApiPubSub;
}

export function createApiContext(services: Services, pubsub: ApiPubSub, principal: Principal | null): ApiContext {
  return new RequestContext(services, pubsub, principal);
}

/** The em and loaders are made on first use: a storefront read that runs on the pg pool needs neither. */
class RequestContext implements ApiContext {
  private ownEm: EntityManager | null = null;
  private ownLoaders: Loaders | null = null;

  constructor(readonly services: Services, readonly pubsub: ApiPubSub, readonly principal: Principal | null) {}

  get em(): EntityManager {
    return (this.ownEm ??= this.services.orm.em.fork() as EntityManager);
  }

  get loaders(): Loaders {
    return (this.ownLoaders ??= createLoaders(this.em));
  }

  set loaders(loaders: Loaders) {
    this.ownLoaders = loaders;
  }
}

/** A subscription lives long: forget what the previous event read, so each event shows fresh rows. */
export function renewRequestScope(context: ApiContext): void {
  context.em.clear();
  context.loaders = createLoaders(context.em);
}
