import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/config';

/**
 * Every domain service, built once per process and shared by resolvers (API) and job processors (worker).
 * Services take the ORM and fork their own EntityManager per operation; they never import GraphQL.
 */
export interface Services {
  config: AppConfig;
  orm: MikroORM;
}

export function createServices(orm: MikroORM, config: AppConfig): Services {
  return { config, orm };
}
