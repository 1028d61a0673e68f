import { getMetadataStorage } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/api/schema';
import { Role } from '../../src/auth/roles';
import { OrderAction, ORDER_TRANSITIONS, StockEffect, transitionFor, WORKER } from '../../src/orders/order-lifecycle';
import { OrderStatus } from '../../src/orders/order.enums';

/** The mutation that takes each action a person may take (allocation is the worker's alone). */
const MUTATION_OF: Partial<Record<OrderAction, string>> = {
  [OrderAction.PLACE]: 'placeOrder',
  [OrderAction.CREATE_QUOTE]: 'createQuote',
  [OrderAction.SEND_QUOTE]: 'sendQuote',
  [OrderAction.CONFIRM_QUOTE]: 'confirmQuote',
  [OrderAction.EXPIRE_QUOTE]: 'expireQuote',
  [OrderAction.RELEASE_HOLD]: 'releaseOrderHold',
  [OrderAction.CHANGE]: 'updateOrder',
  [OrderAction.REALLOCATE]: 'reallocateOrder',
  [OrderAction.SHIP]: 'shipShipment',
  [OrderAction.CANCEL_LINE]: 'cancelOrderLine',
  [OrderAction.CANCEL]: 'cancelOrder',
};

describe('the status model names the roles the API enforces', () => {
  // Building the schema settles type-graphql's metadata, roles included.
  beforeAll(async () => void (await buildApiSchema()));

  it('each action’s roles in the table are its mutation’s @Authorized roles (admin always)', () => {
    const mutations = getMetadataStorage().mutations;
    for (const [action, mutation] of Object.entries(MUTATION_OF)) {
      const op = mutations.find((m) => m.methodName === mutation);
      expect(op, mutation).toBeDefined();
      const enforced = new Set<string>([...(op!.roles as string[]), Role.ADMIN]);
      const listed = new Set<string>(
        ORDER_TRANSITIONS.filter((t) => t.action === action)
          .flatMap((t) => t.roles)
          .filter((r) => r !== WORKER)
          .concat(Role.ADMIN),
      );
      expect([...listed].sort(), `${action} (${mutation})`).toEqual([...enforced].sort());
    }
  });

  it('ending a loan lent against an order: returnLoan puts back, invoiceLoan takes out of stock, each with its mutation’s roles', () => {
    const mutations = getMetadataStorage().mutations;
    const cases: Array<[OrderAction, string, StockEffect]> = [
      [OrderAction.RETURN_LOAN, 'returnLoan', StockEffect.PUT_BACK],
      [OrderAction.SELL_LOAN, 'invoiceLoan', StockEffect.TAKE_OUT],
    ];
    for (const [action, mutation, stock] of cases) {
      const op = mutations.find((m) => m.methodName === mutation);
      expect(op, mutation).toBeDefined();
      for (const status of Object.values(OrderStatus)) {
        const transition = transitionFor(status, action);
        expect(transition, `${action} from ${status}`).toMatchObject({ to: [status], stock });
        expect([...new Set([...transition!.roles, Role.ADMIN])].sort(), `${action} (${mutation})`).toEqual(
          [...new Set([...(op!.roles as string[]), Role.ADMIN])].sort(),
        );
      }
    }
  });
});
