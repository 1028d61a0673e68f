import { Role } from '../auth/roles';
import { formatOrderNumber } from '../shared/document-numbers';
import { conflict } from '../shared/errors';
import { OrderStatus } from './order.enums';

/**
 * The order's status model: which action may move an order from which status to which, what it does to stock, and
 * who may do it. Pure. Services call `requireTransition` after locking the order, so an illegal action is a CONFLICT
 * before anything is written. Invoicing, returns and loans act on an order without changing its status (to = from).
 */
export enum OrderAction {
  PLACE = 'place',
  CREATE_QUOTE = 'createQuote',
  SEND_QUOTE = 'sendQuote',
  CONFIRM_QUOTE = 'confirmQuote',
  EXPIRE_QUOTE = 'expireQuote',
  ALLOCATE = 'allocate',
  RELEASE_HOLD = 'releaseHold',
  CHANGE = 'change',
  REALLOCATE = 'reallocate',
  SHIP = 'ship',
  CANCEL_LINE = 'cancelLine',
  CANCEL = 'cancel',
  ADD_NOTE = 'addNote',
  INVOICE = 'invoice',
  CREDIT = 'credit',
  AUTHORISE_RETURN = 'authoriseReturn',
  RECEIVE_RETURN = 'receiveReturn',
  EXCHANGE = 'exchange',
  LEND = 'lend',
  RETURN_LOAN = 'returnLoan',
  SELL_LOAN = 'sellLoan',
}

/** What a transition does to stock (seed 003: the statuses marked * take goods out of stock). */
export enum StockEffect {
  NONE = 'none',
  RESERVE = 'reserve',
  TAKE_OUT = 'take out of stock',
  PUT_BACK = 'put back',
}

/** The worker acts on its own (allocation, quote expiry); everyone else acts with a role. */
export const WORKER = 'worker';
export type Actor = Role | typeof WORKER;

/**
 * Where a status stands in the order's life. Every status has exactly one (the compiler checks the record): an open
 * quote, a lapsed quote (final), an open order (demand), a closed order (final).
 */
export type OrderStage = 'quote' | 'lapsed quote' | 'open' | 'closed';

export const ORDER_STAGE: Readonly<Record<OrderStatus, OrderStage>> = {
  [OrderStatus.QUOTE]: 'quote',
  [OrderStatus.QUOTE_SENT]: 'quote',
  [OrderStatus.QUOTE_EXPIRED]: 'lapsed quote',
  [OrderStatus.PENDING]: 'open',
  [OrderStatus.ALLOCATED]: 'open',
  [OrderStatus.PARTIALLY_ALLOCATED]: 'open',
  [OrderStatus.BACKORDERED]: 'open',
  [OrderStatus.ON_HOLD]: 'open',
  [OrderStatus.PARTIALLY_SHIPPED]: 'open',
  [OrderStatus.SHIPPED]: 'closed',
  [OrderStatus.CANCELLED]: 'closed',
};

const statusesIn = (...stages: OrderStage[]): readonly OrderStatus[] => Object.values(OrderStatus).filter((s) => stages.includes(ORDER_STAGE[s]));

/**
 * Orders whose open units are demand: what the allocator plans, the backorder list shows and purchasing counts.
 * Quotes never are. Use this (or `sqlStatusList(DEMAND_STATUSES)`) wherever open orders are selected.
 */
export const DEMAND_STATUSES: readonly OrderStatus[] = statusesIn('open');
/** Quotes that may still be sent, confirmed, expired or declined. */
export const OPEN_QUOTE_STATUSES: readonly OrderStatus[] = statusesIn('quote');
/** Every quote not yet confirmed, lapsed ones included: their lines count every unit as not allocated, with no allocation behind it. */
export const QUOTE_STATUSES: readonly OrderStatus[] = statusesIn('quote', 'lapsed quote');
/** Nothing more happens to these (invoicing and returns rows may add actions on SHIPPED). */
export const CLOSED_STATUSES: readonly OrderStatus[] = statusesIn('closed', 'lapsed quote');
/** What the allocator may leave an open order in: its status follows from its lines (deriveOrderStatus). */
export const ALLOCATED_STATUSES: readonly OrderStatus[] = DEMAND_STATUSES.filter((s) => s !== OrderStatus.PENDING);
/**
 * The statuses an order with shipped units can be in (deriveOrderStatus: any shipped unit gives PARTIALLY_SHIPPED or
 * SHIPPED, or ON_HOLD under SHIP_COMPLETE): where invoicing and returns act.
 */
export const SHIPPED_UNIT_STATUSES: readonly OrderStatus[] = [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.ON_HOLD, OrderStatus.SHIPPED];
/** Orders goods may be lent against: quotes (a demo unit while the customer decides), open orders and shipped ones. */
const LENDABLE_STATUSES: readonly OrderStatus[] = statusesIn('quote', 'open').concat(OrderStatus.SHIPPED);

/** Kept for load-snapshot.ts; new code imports it from src/db/sql. */
export { sqlStatusList } from '../db/sql';

export interface OrderTransition {
  /** Null: the action creates the order. */
  from: OrderStatus | null;
  action: OrderAction;
  /** The status after it; several when the lines decide (allocation, shipping, cancelling part). */
  to: readonly OrderStatus[];
  stock: StockEffect;
  /** Who may act (admin may do everything, as everywhere). */
  roles: readonly Actor[];
}

const DESK: readonly Actor[] = [Role.SERVICE, Role.ADMIN];
const ACCOUNTING: readonly Actor[] = [Role.ACCOUNTING, Role.ADMIN];
const row = (from: readonly (OrderStatus | null)[], action: OrderAction, to: readonly OrderStatus[], stock: StockEffect, roles: readonly Actor[]) =>
  from.map((f): OrderTransition => ({ from: f, action, to, stock, roles }));
/** Actions on an order that leave its status as it is (they change its invoicing state, its returns, its loans). */
const keeping = (from: readonly OrderStatus[], action: OrderAction, stock: StockEffect, roles: readonly Actor[]) =>
  from.map((f): OrderTransition => ({ from: f, action, to: [f], stock, roles }));

export const ORDER_TRANSITIONS: readonly OrderTransition[] = [
  ...row([null], OrderAction.PLACE, [OrderStatus.PENDING], StockEffect.NONE, [Role.STOREFRONT, ...DESK]),
  ...row([null], OrderAction.CREATE_QUOTE, [OrderStatus.QUOTE], StockEffect.NONE, DESK),
  ...row(OPEN_QUOTE_STATUSES, OrderAction.SEND_QUOTE, [OrderStatus.QUOTE_SENT], StockEffect.NONE, DESK),
  ...row(OPEN_QUOTE_STATUSES, OrderAction.CONFIRM_QUOTE, [OrderStatus.PENDING], StockEffect.NONE, DESK),
  ...row(OPEN_QUOTE_STATUSES, OrderAction.EXPIRE_QUOTE, [OrderStatus.QUOTE_EXPIRED], StockEffect.NONE, [...DESK, WORKER]),
  ...row(OPEN_QUOTE_STATUSES, OrderAction.CANCEL, [OrderStatus.CANCELLED], StockEffect.NONE, [...DESK, Role.CUSTOMER]),
  ...row(DEMAND_STATUSES, OrderAction.ALLOCATE, ALLOCATED_STATUSES, StockEffect.RESERVE, [WORKER]),
  ...row([OrderStatus.ON_HOLD], OrderAction.RELEASE_HOLD, ALLOCATED_STATUSES, StockEffect.NONE, DESK),
  ...row(DEMAND_STATUSES, OrderAction.CHANGE, DEMAND_STATUSES, StockEffect.PUT_BACK, DESK),
  ...row(DEMAND_STATUSES, OrderAction.REALLOCATE, DEMAND_STATUSES, StockEffect.NONE, DESK),
  ...row(ALLOCATED_STATUSES, OrderAction.SHIP, [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.ON_HOLD], StockEffect.TAKE_OUT, [
    Role.OPS,
    Role.ADMIN,
  ]),
  ...row(DEMAND_STATUSES, OrderAction.CANCEL_LINE, [...DEMAND_STATUSES, OrderStatus.SHIPPED, OrderStatus.CANCELLED], StockEffect.PUT_BACK, DESK),
  ...row(DEMAND_STATUSES, OrderAction.CANCEL, [OrderStatus.CANCELLED, OrderStatus.SHIPPED], StockEffect.PUT_BACK, [...DESK, Role.CUSTOMER]),
  // An invoice bills shipped units (they left stock when they shipped); a credit note corrects an invoice.
  ...keeping(SHIPPED_UNIT_STATUSES, OrderAction.INVOICE, StockEffect.NONE, ACCOUNTING),
  ...keeping(SHIPPED_UNIT_STATUSES, OrderAction.CREDIT, StockEffect.NONE, ACCOUNTING),
  ...keeping(SHIPPED_UNIT_STATUSES, OrderAction.AUTHORISE_RETURN, StockEffect.NONE, DESK),
  ...keeping(SHIPPED_UNIT_STATUSES, OrderAction.RECEIVE_RETURN, StockEffect.PUT_BACK, [Role.SERVICE, Role.OPS, Role.ADMIN]),
  // The replacement is a new order (placed, then allocated: it reserves); the original keeps its status.
  ...keeping(SHIPPED_UNIT_STATUSES, OrderAction.EXCHANGE, StockEffect.RESERVE, DESK),
  ...keeping(LENDABLE_STATUSES, OrderAction.LEND, StockEffect.TAKE_OUT, DESK),
];

/**
 * Allowed in every status and changing none: a note, and ending a loan lent against the order (`returnLoan`, or a
 * sale by `invoiceLoan`: what is lent must always be able to come back or be billed). Listed for the README, not
 * transitions.
 */
const EVERY_STATUS_ACTIONS: ReadonlyMap<OrderAction, Pick<OrderTransition, 'stock' | 'roles'>> = new Map([
  [OrderAction.ADD_NOTE, { stock: StockEffect.NONE, roles: DESK }],
  [OrderAction.RETURN_LOAN, { stock: StockEffect.PUT_BACK, roles: [Role.SERVICE, Role.OPS, Role.ADMIN] }],
  [OrderAction.SELL_LOAN, { stock: StockEffect.TAKE_OUT, roles: ACCOUNTING }],
]);

export function transitionFor(from: OrderStatus | null, action: OrderAction): OrderTransition | null {
  const everywhere = EVERY_STATUS_ACTIONS.get(action);
  if (from !== null && everywhere) return { from, action, to: [from], ...everywhere };
  return ORDER_TRANSITIONS.find((t) => t.from === from && t.action === action) ?? null;
}

/** The actions allowed from a status, in table order. */
export function actionsFrom(status: OrderStatus): OrderAction[] {
  return Object.values(OrderAction).filter((action) => transitionFor(status, action) !== null);
}

/** Statuses an action may start from (the allocator's demand, a quote's confirmable states, …). */
export function statusesAllowing(action: OrderAction): OrderStatus[] {
  return Object.values(OrderStatus).filter((status) => transitionFor(status, action) !== null);
}

const ACTION_WORDS: Readonly<Record<OrderAction, string>> = {
  [OrderAction.PLACE]: 'placed',
  [OrderAction.CREATE_QUOTE]: 'quoted',
  [OrderAction.SEND_QUOTE]: 'sent as a quote',
  [OrderAction.CONFIRM_QUOTE]: 'confirmed as a quote',
  [OrderAction.EXPIRE_QUOTE]: 'expired as a quote',
  [OrderAction.ALLOCATE]: 'allocated',
  [OrderAction.RELEASE_HOLD]: 'released from hold',
  [OrderAction.CHANGE]: 'changed',
  [OrderAction.REALLOCATE]: 're-allocated',
  [OrderAction.SHIP]: 'shipped',
  [OrderAction.CANCEL_LINE]: 'cancelled in part',
  [OrderAction.CANCEL]: 'cancelled',
  [OrderAction.ADD_NOTE]: 'given a note',
  [OrderAction.INVOICE]: 'invoiced',
  [OrderAction.CREDIT]: 'credited',
  [OrderAction.AUTHORISE_RETURN]: 'returned',
  [OrderAction.RECEIVE_RETURN]: 'received back',
  [OrderAction.EXCHANGE]: 'exchanged',
  [OrderAction.LEND]: 'lent against',
  [OrderAction.RETURN_LOAN]: 'given back a loan',
  [OrderAction.SELL_LOAN]: 'sold a loan',
};

/** The transition, or a CONFLICT naming the status and what it allows; call it before writing anything. */
export function requireTransition(order: { number: string; status: OrderStatus; version: number }, action: OrderAction): OrderTransition {
  const transition = transitionFor(order.status, action);
  if (transition) return transition;
  const allowed = actionsFrom(order.status);
  throw conflict(
    `Order ${formatOrderNumber(order.number)} is ${order.status} and cannot be ${ACTION_WORDS[action]}` +
      (allowed.length ? ` (from ${order.status}: ${allowed.join(', ')})` : ` (${order.status} is final)`),
    { status: order.status, action, allowedActions: allowed, currentVersion: order.version },
  );
}
