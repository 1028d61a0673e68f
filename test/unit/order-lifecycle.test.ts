import { describe, expect, it } from 'vitest';
import { Role } from '../../src/auth/roles';
import {
  actionsFrom,
  CLOSED_STATUSES,
  DEMAND_STATUSES,
  OPEN_QUOTE_STATUSES,
  OrderAction,
  ORDER_STAGE,
  ORDER_TRANSITIONS,
  QUOTE_STATUSES,
  requireTransition,
  SHIPPED_UNIT_STATUSES,
  sqlStatusList,
  statusesAllowing,
  StockEffect,
  transitionFor,
  WORKER,
} from '../../src/orders/order-lifecycle';
import { deriveOrderStatus, LineQuantities } from '../../src/orders/order-status';
import { FulfilmentPolicy, OrderStatus } from '../../src/orders/order.enums';
import { DomainError } from '../../src/shared/errors';

const S = OrderStatus;
const A = OrderAction;
const OPEN_ORDER = [S.PENDING, S.ALLOCATED, S.PARTIALLY_ALLOCATED, S.BACKORDERED, S.ON_HOLD, S.PARTIALLY_SHIPPED];
const EVERYWHERE = [A.ADD_NOTE, A.RETURN_LOAN, A.SELL_LOAN];
const ON_OPEN_ORDERS = [A.ALLOCATE, A.CHANGE, A.REALLOCATE, A.CANCEL_LINE, A.CANCEL, A.LEND, ...EVERYWHERE];
/** Invoicing and returns act on orders with shipped units, leaving their status as it is. */
const ON_SHIPPED_UNITS = [A.INVOICE, A.CREDIT, A.AUTHORISE_RETURN, A.RECEIVE_RETURN, A.EXCHANGE];

/** The specification, written out by hand: every action allowed from each status, nothing else. */
const LEGAL: Record<OrderStatus, OrderAction[]> = {
  [S.QUOTE]: [A.SEND_QUOTE, A.CONFIRM_QUOTE, A.EXPIRE_QUOTE, A.CANCEL, A.LEND, ...EVERYWHERE],
  [S.QUOTE_SENT]: [A.SEND_QUOTE, A.CONFIRM_QUOTE, A.EXPIRE_QUOTE, A.CANCEL, A.LEND, ...EVERYWHERE],
  [S.QUOTE_EXPIRED]: EVERYWHERE,
  [S.PENDING]: ON_OPEN_ORDERS,
  [S.ALLOCATED]: [...ON_OPEN_ORDERS, A.SHIP],
  [S.PARTIALLY_ALLOCATED]: [...ON_OPEN_ORDERS, A.SHIP],
  [S.BACKORDERED]: [...ON_OPEN_ORDERS, A.SHIP],
  [S.ON_HOLD]: [...ON_OPEN_ORDERS, A.SHIP, A.RELEASE_HOLD, ...ON_SHIPPED_UNITS],
  [S.PARTIALLY_SHIPPED]: [...ON_OPEN_ORDERS, A.SHIP, ...ON_SHIPPED_UNITS],
  [S.SHIPPED]: [A.LEND, ...EVERYWHERE, ...ON_SHIPPED_UNITS],
  [S.CANCELLED]: EVERYWHERE,
};

const order = (status: OrderStatus) => ({ number: '7', status, version: 3 });

describe('the order status model', () => {
  it('allows exactly the specified actions from every status, and refuses every other pair', () => {
    for (const status of Object.values(OrderStatus)) {
      for (const action of Object.values(OrderAction)) {
        const legal = LEGAL[status].includes(action);
        expect(transitionFor(status, action) !== null, `${status} ${action}`).toBe(legal);
      }
      expect(new Set(actionsFrom(status))).toEqual(new Set(LEGAL[status]));
    }
  });

  it('creates orders only by placing or quoting', () => {
    for (const action of Object.values(OrderAction)) {
      expect(transitionFor(null, action)?.to ?? null, action).toEqual(
        action === A.PLACE ? [S.PENDING] : action === A.CREATE_QUOTE ? [S.QUOTE] : null,
      );
    }
  });

  it('an illegal action is a CONFLICT naming the status and what it allows; a legal one returns its row', () => {
    let error: unknown;
    try {
      requireTransition(order(S.ALLOCATED), A.SEND_QUOTE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect((error as DomainError).message).toContain('SO-7 is ALLOCATED and cannot be sent as a quote');
    expect((error as DomainError).details).toMatchObject({ status: S.ALLOCATED, action: A.SEND_QUOTE, currentVersion: 3 });
    expect(((error as DomainError).details!.allowedActions as string[]).sort()).toEqual([...LEGAL[S.ALLOCATED]].sort());

    expect(() => requireTransition(order(S.CANCELLED), A.CONFIRM_QUOTE)).toThrow(/CANCELLED is final|CANCELLED and cannot be confirmed/);
    expect(requireTransition(order(S.QUOTE_SENT), A.CONFIRM_QUOTE)).toMatchObject({ to: [S.PENDING], stock: StockEffect.NONE });
  });

  it('quotes are never demand; every status has one stage', () => {
    expect([...DEMAND_STATUSES].sort()).toEqual([...OPEN_ORDER].sort());
    expect([...OPEN_QUOTE_STATUSES].sort()).toEqual([S.QUOTE, S.QUOTE_SENT].sort());
    expect([...QUOTE_STATUSES].sort()).toEqual([S.QUOTE, S.QUOTE_EXPIRED, S.QUOTE_SENT].sort());
    expect([...CLOSED_STATUSES].sort()).toEqual([S.CANCELLED, S.QUOTE_EXPIRED, S.SHIPPED].sort());
    for (const status of QUOTE_STATUSES) expect(DEMAND_STATUSES).not.toContain(status);
    expect(Object.keys(ORDER_STAGE).sort()).toEqual(Object.values(OrderStatus).sort());
  });

  it('the allocator plans exactly the statuses the table lets it allocate (load-snapshot uses DEMAND_STATUSES)', () => {
    expect(statusesAllowing(A.ALLOCATE).sort()).toEqual([...DEMAND_STATUSES].sort());
    expect(sqlStatusList([S.PENDING, S.ON_HOLD])).toBe(`('PENDING','ON_HOLD')`);
  });

  it('moving stock: allocation reserves, shipping takes out, cancelling an order puts back, a quote moves nothing', () => {
    const stockOf = (from: OrderStatus, action: OrderAction) => transitionFor(from, action)!.stock;
    expect(stockOf(S.PENDING, A.ALLOCATE)).toBe(StockEffect.RESERVE);
    expect(stockOf(S.ALLOCATED, A.SHIP)).toBe(StockEffect.TAKE_OUT);
    expect(stockOf(S.ALLOCATED, A.CANCEL)).toBe(StockEffect.PUT_BACK);
    const loanActions = [A.LEND, A.RETURN_LOAN, A.SELL_LOAN];
    for (const status of OPEN_QUOTE_STATUSES) {
      for (const action of actionsFrom(status).filter((a) => !loanActions.includes(a)))
        expect(stockOf(status, action), `${status} ${action}`).toBe(StockEffect.NONE);
    }
    // A loan moves the lent units whatever the order's status: lent, back on hand, or sold out of stock.
    expect(loanActions.map((a) => stockOf(S.QUOTE, a))).toEqual([StockEffect.TAKE_OUT, StockEffect.PUT_BACK, StockEffect.TAKE_OUT]);
    expect(stockOf(S.SHIPPED, A.INVOICE)).toBe(StockEffect.NONE);
    expect(stockOf(S.SHIPPED, A.RECEIVE_RETURN)).toBe(StockEffect.PUT_BACK);
    // Invoicing and returns never change the order's status.
    for (const t of ORDER_TRANSITIONS.filter((t) =>
      [A.INVOICE, A.CREDIT, A.AUTHORISE_RETURN, A.RECEIVE_RETURN, A.EXCHANGE, A.LEND].includes(t.action),
    )) {
      expect(t.to, `${t.from} ${t.action}`).toEqual([t.from]);
    }
  });

  it('who may act: the worker alone allocates, ops ship, customers only cancel, and every row names someone', () => {
    const known = new Set<string>([...Object.values(Role), WORKER]);
    for (const t of ORDER_TRANSITIONS) {
      expect(t.roles.length, `${t.from} ${t.action}`).toBeGreaterThan(0);
      for (const role of t.roles) expect(known.has(role)).toBe(true);
      if (t.roles.includes(Role.CUSTOMER)) expect(t.action).toBe(A.CANCEL);
    }
    expect(transitionFor(S.PENDING, A.ALLOCATE)!.roles).toEqual([WORKER]);
    expect(transitionFor(S.ALLOCATED, A.SHIP)!.roles).toContain(Role.OPS);
    expect(transitionFor(S.QUOTE, A.CONFIRM_QUOTE)!.roles).not.toContain(Role.CUSTOMER);
    expect(transitionFor(S.QUOTE_SENT, A.EXPIRE_QUOTE)!.roles).toContain(WORKER);
  });

  describe('the status the lines give always lies in the target of the action that changed them', () => {
    // Every line of up to two lines with up to 2 units in each bucket, under every policy.
    const buckets = [0, 1, 2];
    const lineShapes: LineQuantities[] = [];
    for (const allocatedQuantity of buckets)
      for (const backorderedQuantity of buckets)
        for (const shippedQuantity of buckets)
          for (const cancelledQuantity of buckets) {
            const quantity = allocatedQuantity + backorderedQuantity + shippedQuantity + cancelledQuantity;
            if (quantity > 0) lineShapes.push({ quantity, allocatedQuantity, backorderedQuantity, shippedQuantity, cancelledQuantity });
          }
    const orders: LineQuantities[][] = lineShapes.flatMap((a) => [[a], ...lineShapes.map((b) => [a, b])]);
    const policies = Object.values(FulfilmentPolicy);
    const targets = (action: OrderAction) => new Set(ORDER_TRANSITIONS.filter((t) => t.action === action).flatMap((t) => t.to));

    /** The orders whose derived status falls outside the action's targets (none, if the table is right). */
    const outside = (action: OrderAction, candidates: LineQuantities[][], keep: (status: OrderStatus) => boolean = () => true) => {
      const allowed = targets(action);
      const misses: string[] = [];
      for (const policy of policies) {
        for (const lines of candidates) {
          const status = deriveOrderStatus(policy, lines);
          if (keep(status) && !allowed.has(status)) misses.push(`${policy} ${JSON.stringify(lines)} → ${status}`);
        }
      }
      return misses;
    };

    it('allocation and a hold released: any open status the lines give', () => {
      expect(outside(A.ALLOCATE, orders, (status) => ORDER_STAGE[status] === 'open' && status !== S.PENDING)).toEqual([]);
      expect(outside(A.RELEASE_HOLD, orders, (status) => ORDER_STAGE[status] === 'open' && status !== S.PENDING)).toEqual([]);
    });

    it('shipping: partly shipped, shipped, or still on hold', () => {
      expect(
        outside(
          A.SHIP,
          orders.filter((ls) => ls.some((l) => l.shippedQuantity > 0)),
        ),
      ).toEqual([]);
    });

    it('invoicing and returns are allowed in every status an order with shipped units can have', () => {
      const seen = new Set<OrderStatus>();
      for (const policy of policies) {
        for (const lines of orders) if (lines.some((l) => l.shippedQuantity > 0)) seen.add(deriveOrderStatus(policy, lines));
      }
      expect([...seen].sort()).toEqual([...SHIPPED_UNIT_STATUSES].sort());
      for (const status of seen) {
        for (const action of [A.INVOICE, A.CREDIT, A.AUTHORISE_RETURN, A.RECEIVE_RETURN, A.EXCHANGE])
          expect(transitionFor(status, action), `${status} ${action}`).not.toBeNull();
      }
    });

    it('cancelling every unit not shipped: cancelled, or shipped when part had shipped', () => {
      const cancelled = orders.map((ls) =>
        ls.map((l) => ({ ...l, allocatedQuantity: 0, backorderedQuantity: 0, cancelledQuantity: l.quantity - l.shippedQuantity })),
      );
      expect(outside(A.CANCEL, cancelled)).toEqual([]);
    });
  });
});
