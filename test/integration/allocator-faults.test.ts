import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Allocator, MAX_ALLOCATION_ATTEMPTS } from '../../src/allocation/allocator';
import { loadPlanningPolicy } from '../../src/allocation/planning-policy';
import { initOrm } from '../../src/db/init-orm';
import { placeOrder } from '../../src/orders/place-order';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { createTestEnvironment, TestDatabase } from '../support/test-env';
import { factories } from '../support/factories';

describe('the allocator under faults', () => {
  let env: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    const make = factories(orm);
    await make.warehouse('W', 'EU');
    await make.product('GOOD');
    await make.product('BAD');
    await make.stock('GOOD', 'W', 5);
    await make.stock('BAD', 'W', 5);
  });
  afterAll(async () => {
    await orm?.close(true);
    await env?.drop();
  });

  const place = (key: string, sku: string) =>
    placeOrder(
      orm.em.fork(),
      {
        idempotencyKey: key,
        customerId: 'c',
        channel: 'web',
        currency: 'EUR',
        shipToRegion: 'EU',
        lines: [{ sku, quantity: 1, unitPrice: 1 }],
      },
      FulfilmentPolicy.SHIP_PARTIAL,
    );

  it('rolls a failed batch back whole, isolates the request that fails, and serves the others', async () => {
    const bad = await place('bad', 'BAD');
    const good = await place('good', 'GOOD');
    // Fault injection: the database refuses any allocation for the bad order, as a bug or corrupt row would.
    await orm.em.fork().execute(`
      create function refuse_bad_allocation() returns trigger language plpgsql as $$
      begin if new.order_id = '${bad.orderId}' then raise exception 'injected fault'; end if; return new; end $$;
      create trigger refuse_bad_allocation before insert on allocation for each row execute function refuse_bad_allocation();`);
    const allocator = new Allocator(orm, { batchSize: 100, policyFor: loadPlanningPolicy });
    await allocator.drain();

    const rows = await orm.em.fork().execute(`select id, status from sales_order order by placed_at`);
    expect(rows.map((r: any) => r.status)).toEqual(['PENDING', 'ALLOCATED']);
    expect(rows[1].id).toBe(good.orderId);
    const [stuck] = await orm.em.fork().execute(`select order_id, attempts, last_error from allocation_request`);
    expect(stuck).toMatchObject({ order_id: bad.orderId, attempts: MAX_ALLOCATION_ATTEMPTS });
    expect(stuck.last_error).toMatch(/injected fault/);
    // Nothing of the failed batches stayed: the bad order's stock is untouched.
    const [level] = await orm.em.fork().execute(`select reserved_quantity from stock_level where sku = 'BAD'`);
    expect(level.reserved_quantity).toBe(0);

    // Once the cause is fixed and a person resets the request, it goes through.
    await orm.em.fork().execute(`drop trigger refuse_bad_allocation on allocation; update allocation_request set attempts = 0`);
    await allocator.drain();
    const [fixed] = await orm.em.fork().execute(`select status from sales_order where id = ?`, [bad.orderId]);
    expect(fixed.status).toBe('ALLOCATED');
  });
});
