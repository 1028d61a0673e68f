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
  /** The em when this request has made one already (a read snapshot begun), else null: reading it forks nothing. */
  readonly existingEm?: EntityManager | null;
  services: Services;
  loaders: Loaders;
  pubsub: ApiPubSub;
}

export function createApiContext(services: Services, pubsub: ApiPubSub, principal: Principal | null): ApiContext {
  return new RequestScope(services, pubsub, principal);
}

/**
 * The em and the loaders are made on first use: a mutation that answers from what it wrote (placeOrder) and a
 * storefront read on the pg pool need neither. Plain fields, no #private ones: Apollo copies the context (own properties, same prototype) per operation.
 */
class RequestScope implements ApiContext {
  private forked: EntityManager | null = null;
  private batched: Loaders | null = null;

  constructor(
    readonly services: Services,
    readonly pubsub: ApiPubSub,
    readonly principal: Principal | null,
  ) {}

  get em(): EntityManager {
    return (this.forked ??= this.services.orm.em.fork() as EntityManager);
  }

  get existingEm(): EntityManager | null {
    return this.forked;
  }

  get loaders(): Loaders {
    return (this.batched ??= createLoaders(this.em));
  }

  set loaders(loaders: Loaders) {
    this.batched = loaders;
  }
}

/** A subscription lives long: forget what the previous event read, so each event shows fresh rows. */
export function renewRequestScope(context: ApiContext): void {
  context.em.clear();
  context.loaders = createLoaders(context.em);
}
