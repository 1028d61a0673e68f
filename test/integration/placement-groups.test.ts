import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientConnectionError } from '../../src/db/connection-retry';
import { initOrm } from '../../src/db/init-orm';
import { createPgPool } from '../../src/db/pg-pool';
import { FulfilmentPolicy } from '../../src/orders/order.enums';
import { PlaceOrderCommand, preparePlacement } from '../../src/orders/place-order';
import { PlacementGroups } from '../../src/orders/placement-groups';
import { factories } from '../support/factories';
import { createTestEnvironment, TestDatabase } from '../support/test-env';

/** Every order of a test is handed over in one tick, so they meet in one group whatever the window. */
const WINDOW_MS = 5;

describe('placement groups: the orders of a few milliseconds in one statement and one commit, each answered alone', () => {
  let env: TestDatabase;
  let orm: MikroORM;
  let pool: Pool;
  let groups: PlacementGroups;
  const order = (key: string, overrides: Partial<PlaceOrderCommand> = {}): PlaceOrderCommand => ({
    idempotencyKey: key,
    customerId: `c-${key}`,
    channel: 'web',
    currency: 'EUR',
    shipToRegion: 'EU',
    lines: [{ sku: 'MUG', quantity: 1, unitPrice: '2.50' }],
    ...overrides,
  });
  const place = (command: PlaceOrderCommand) => groups.place(preparePlacement(command));
  const settle = (commands: PlaceOrderCommand[]) => Promise.allSettled(commands.map(place));
  const sql = (text: string, params: unknown[] = []) => orm.em.fork().execute(text, params);
  const codeOf = (result: PromiseSettledResult<unknown>) => (result.status === 'rejected' ? (result.reason as { code?: string }).code : 'placed');

  beforeAll(async () => {
    env = await createTestEnvironment();
    orm = await initOrm({ databaseUrl: env.config.databaseUrl });
    pool = createPgPool(env.config.databaseUrl, 4);
    groups = new PlacementGroups(pool, async () => FulfilmentPolicy.SHIP_PARTIAL, { windowMs: WINDOW_MS, maxOrders: 50 });
    const make = factories(orm);
    await make.warehouse('EAST', 'EU');
    await make.product('MUG');
    await make.product('RARE', { backorderPolicy: 'DENY' });
    await make.stock('RARE', 'EAST', 1);
  });
  afterAll(async () => {
    await pool?.end();
    await orm?.close(true);
    await env?.drop();
  });

  it('writes a group in one transaction, in arrival order, and answers each order with its own outcome', async () => {
    const results = await settle([
      order('g-1'),
      order('g-unknown', { lines: [{ sku: 'NOPE', quantity: 1 }] }),
      order('g-2', {
        lines: [
          { sku: 'MUG', quantity: 2 },
          { sku: 'RARE', quantity: 1 },
        ],
      }),
      order('g-region', { shipToRegion: 'MARS' }),
      order('g-denied', { lines: [{ sku: 'RARE', quantity: 2 }] }),
      order('g-3', { customerId: 'c-g-1' }),
    ]);
    expect(results.map(codeOf)).toEqual(['placed', 'BAD_USER_INPUT', 'placed', 'BAD_USER_INPUT', 'CONFLICT', 'placed']);
    const rows = await sql(
      `select o.idempotency_key, o.number, o.xmin::text as xid, o.status,
              (select count(*) from order_line l where l.order_id = o.id)::int as lines,
              (select count(*) from order_event e where e.order_id = o.id and e.type = 'PLACED')::int as events,
              (select count(*) from allocation_request r where r.order_id = o.id)::int as requests
       from sales_order o where o.idempotency_key like 'g-%' order by o.number`,
    );
    expect(rows.map((r: any) => [r.idempotency_key, r.status, r.lines, r.events, r.requests])).toEqual([
      ['g-1', 'PENDING', 1, 1, 1],
      ['g-2', 'PENDING', 2, 1, 1],
      ['g-3', 'PENDING', 1, 1, 1],
    ]);
    expect(new Set(rows.map((r: any) => r.xid)).size).toBe(1);
    const [outbox] = await sql(
      `select count(*) filter (where kind = 'order-event')::int as events, count(*) filter (where kind = 'allocate')::int as wakeups from outbox_message`,
    );
    expect(outbox).toEqual({ events: 3, wakeups: 1 });
    const placed = results[0].status === 'fulfilled' ? results[0].value : null;
    expect(placed).toMatchObject({ created: true, row: { idempotency_key: 'g-1', customer_id: 'c-g-1', status: 'PENDING', flags: [] } });
  });

  it('answers two of one key in one group as if the second came later: the same body gets the order, another a CONFLICT', async () => {
    const [first, retry, other] = await settle([order('twice'), order('twice'), order('twice', { lines: [{ sku: 'MUG', quantity: 9 }] })]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { created: true } });
    const id = first.status === 'fulfilled' ? first.value.orderId : null;
    expect(retry).toMatchObject({ status: 'fulfilled', value: { orderId: id, created: false } });
    expect(codeOf(other)).toBe('CONFLICT');
    expect(await sql(`select count(*)::int as n from sales_order where idempotency_key = 'twice'`)).toEqual([{ n: 1 }]);
  });

  describe('with a fault that the database raises for one order only', () => {
    beforeAll(async () => {
      await sql(`
        create function refuse_boom() returns trigger language plpgsql as $$
        begin if new.sku = 'BOOM' then raise exception 'injected fault'; end if; return new; end $$;
        create trigger refuse_boom before insert on order_line for each row execute function refuse_boom();`);
      await factories(orm).product('BOOM');
    });
    afterAll(async () => {
      await sql(`drop trigger refuse_boom on order_line; drop function refuse_boom();`);
    });

    it('fails that order alone: the others of its group are placed', async () => {
      const results = await settle([order('f-1'), order('f-boom', { lines: [{ sku: 'BOOM', quantity: 1 }] }), order('f-2')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results[1].status === 'rejected' && String(results[1].reason)).toMatch(/injected fault/);
      const keys = await sql(`select idempotency_key from sales_order where idempotency_key like 'f-%' order by idempotency_key`);
      expect(keys.map((r: any) => r.idempotency_key)).toEqual(['f-1', 'f-2']);
    });

    it('writes nothing of an order the statement failed on: no order, line, event, request or message', async () => {
      const before = await sql(`select (select count(*) from sales_order)::int as orders, (select count(*) from order_event)::int as events,
                                       (select count(*) from allocation_request)::int as requests, (select count(*) from outbox_message)::int as messages,
                                       (select count(*) from customer)::int as customers`);
      const results = await settle([
        order('boom-1', { lines: [{ sku: 'BOOM', quantity: 1 }] }),
        order('boom-2', { lines: [{ sku: 'BOOM', quantity: 2 }] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      const after = await sql(`select (select count(*) from sales_order)::int as orders, (select count(*) from order_event)::int as events,
                                      (select count(*) from allocation_request)::int as requests, (select count(*) from outbox_message)::int as messages,
                                      (select count(*) from customer)::int as customers`);
      expect(after).toEqual(before);
    });
  });

  it('fails every order of a group alike, retryable, when the database cannot be reached', async () => {
    const unreachable = createPgPool('postgres://postgres@127.0.0.1:1/none', 2);
    try {
      const offline = new PlacementGroups(unreachable, async () => FulfilmentPolicy.SHIP_PARTIAL, { windowMs: WINDOW_MS, maxOrders: 50 });
      const results = await Promise.allSettled([order('o-1'), order('o-2')].map((c) => offline.place(preparePlacement(c))));
      expect(results.map((r) => r.status === 'rejected' && isTransientConnectionError(r.reason))).toEqual([true, true]);
    } finally {
      await unreachable.end();
    }
  });

  it('splits what waits into groups of at most maxOrders', async () => {
    const small = new PlacementGroups(pool, async () => FulfilmentPolicy.SHIP_PARTIAL, { windowMs: WINDOW_MS, maxOrders: 2 });
    const placed = await Promise.all(['s-1', 's-2', 's-3', 's-4', 's-5'].map((key) => small.place(preparePlacement(order(key)))));
    expect(placed.every((p) => p.created)).toBe(true);
    const xids = await sql(
      `select xmin::text as xid, count(*)::int as n from sales_order where idempotency_key like 's-%' group by 1 order by 2 desc`,
    );
    expect(xids.map((r: any) => r.n)).toEqual([2, 2, 1]);
  });
});
