import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import path from 'node:path';
import { entities } from './entities';

const projectRoot = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));

/** ORM options shared by the API, the worker, the CLI and the tests. */
export function ormOptions(databaseUrl: string, poolMax = 10) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true },
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    // Under swc-node or vitest this file is TypeScript: read the TypeScript migrations, else the compiled ones.
    preferTs: __filename.endsWith('.ts'),
    // vitest cannot run MikroORM's own dynamic import of migration files (STACK.md trap 4).
    dynamicImportProvider: (id: string) => import(id),
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(projectRoot, 'dist', 'migrations'),
      pathTs: path.join(projectRoot, 'migrations'),
      glob: '!(*.d).{js,ts}',
      // initOrm logs the migrations it applied as one JSON line; MikroORM's own lines are plain text.
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-oms',
      emit: 'ts',
    },
  });
}
