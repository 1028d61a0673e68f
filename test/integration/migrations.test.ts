import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/init-orm';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

describe('database schema', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
  });
  afterAll(async () => {
    await orm?.close(true);
    await env?.drop();
  });

  it('has no entity change that lacks a generated migration', async () => {
    const diff = await orm.getMigrator().checkMigrationNeeded();
    expect(diff).toBe(false);
  });

  it('refuses to reserve more than is on hand, whatever the application does', async () => {
    const em = orm.em.fork();
    await em.execute(`insert into warehouse (id, code, name, region) values (gen_random_uuid(), 'W1', 'One', 'EU')`);
    await em.execute(`insert into product (sku, name) values ('SKU-1', 'Thing')`);
    await em.execute(
      `insert into stock_level (id, sku, warehouse_id, on_hand_quantity, reserved_quantity)
       select gen_random_uuid(), 'SKU-1', id, 5, 0 from warehouse where code = 'W1'`,
    );
    await expect(em.execute(`update stock_level set reserved_quantity = 6`)).rejects.toThrow(/stock_level_reserved_within_on_hand/);
  });
});
