import { badInput } from '../shared/errors';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority } from './order.enums';

/** What customer service may change on an order; fields left out (null or undefined) keep their value. */
export interface OrderChange {
  priority?: OrderPriority | null;
  flags?: OrderFlag[] | null;
  fulfilmentPolicy?: FulfilmentPolicy | null;
  shipToRegion?: string | null;
  maxWarehouses?: number | null;
}

export interface OrderTerms {
  priority: OrderPriority;
  flags: OrderFlag[];
  fulfilmentPolicy: FulfilmentPolicy;
  shipToRegion: string;
  maxWarehouses: number | null;
}

export interface PlannedOrderChange {
  terms: OrderTerms;
  events: Array<{ type: OrderEventType; message: string }>;
  /**
   * The reservations the order holds were chosen for the old region or parcel limit: give back what has not
   * shipped and plan the order again from scratch. A new priority or policy keeps them.
   */
  releaseReservations: boolean;
}

export const MAX_WAREHOUSES_LIMIT = 50;
const REGION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

/** Checks a change's shape; throws BAD_USER_INPUT naming the field. Pure. */
export function validateOrderChange(change: OrderChange): void {
  const given = Object.values(change).some((v) => v !== undefined && v !== null);
  if (!given) throw badInput('Name at least one of priority, flags, fulfilmentPolicy, shipToRegion, maxWarehouses to change');
  if (change.priority != null && !Object.values(OrderPriority).includes(change.priority))
    throw badInput('priority is not an OrderPriority', { field: 'priority' });
  if (change.fulfilmentPolicy != null && !Object.values(FulfilmentPolicy).includes(change.fulfilmentPolicy)) {
    throw badInput('fulfilmentPolicy is not a FulfilmentPolicy', { field: 'fulfilmentPolicy' });
  }
  if (change.flags != null && change.flags.some((f) => !Object.values(OrderFlag).includes(f)))
    throw badInput('flags holds an unknown flag', { field: 'flags' });
  if (change.shipToRegion != null && !REGION_PATTERN.test(change.shipToRegion.trim())) {
    throw badInput('shipToRegion must be 1 to 50 letters, digits, _ or -', { field: 'shipToRegion' });
  }
  if (
    change.maxWarehouses != null &&
    (!Number.isInteger(change.maxWarehouses) || change.maxWarehouses < 1 || change.maxWarehouses > MAX_WAREHOUSES_LIMIT)
  ) {
    throw badInput(`maxWarehouses must be a whole number from 1 to ${MAX_WAREHOUSES_LIMIT}`, { field: 'maxWarehouses' });
  }
}

const sameFlags = (a: OrderFlag[], b: OrderFlag[]) => a.length === b.length && a.every((f) => b.includes(f));
const flagText = (flags: OrderFlag[]) => (flags.length ? flags.join(', ') : 'none');

/** The order's new terms and the events that say what changed; no events means nothing changes. Pure. */
export function planOrderChange(current: OrderTerms, change: OrderChange): PlannedOrderChange {
  const terms: OrderTerms = { ...current, flags: [...current.flags] };
  const events: PlannedOrderChange['events'] = [];
  if (change.priority != null && change.priority !== current.priority) {
    terms.priority = change.priority;
    events.push({ type: OrderEventType.PRIORITY_CHANGED, message: `Priority changed from ${current.priority} to ${change.priority}` });
  }
  if (change.flags != null) {
    const flags = [...new Set(change.flags)].sort();
    if (!sameFlags(flags, current.flags)) {
      terms.flags = flags;
      events.push({ type: OrderEventType.PRIORITY_CHANGED, message: `Flags changed from ${flagText(current.flags)} to ${flagText(flags)}` });
    }
  }
  if (change.fulfilmentPolicy != null && change.fulfilmentPolicy !== current.fulfilmentPolicy) {
    terms.fulfilmentPolicy = change.fulfilmentPolicy;
    events.push({
      type: OrderEventType.POLICY_CHANGED,
      message: `Fulfilment policy changed from ${current.fulfilmentPolicy} to ${change.fulfilmentPolicy}`,
    });
  }
  const region = change.shipToRegion?.trim();
  if (region && region !== current.shipToRegion) {
    terms.shipToRegion = region;
    events.push({ type: OrderEventType.SHIP_TO_CHANGED, message: `Ship-to region changed from ${current.shipToRegion} to ${region}` });
  }
  if (change.maxWarehouses != null && change.maxWarehouses !== current.maxWarehouses) {
    terms.maxWarehouses = change.maxWarehouses;
    events.push({
      type: OrderEventType.POLICY_CHANGED,
      message: `Most warehouses changed from ${current.maxWarehouses ?? 'the default'} to ${change.maxWarehouses}`,
    });
  }
  const releaseReservations = terms.shipToRegion !== current.shipToRegion || terms.maxWarehouses !== current.maxWarehouses;
  return { terms, events, releaseReservations };
}

export const MAX_NOTE_LENGTH = 2000;

/** A note's text, trimmed; refuses empty, over-long and control characters other than newlines and tabs. Pure. */
export function validNote(text: string): string {
  const note = typeof text === 'string' ? text.trim() : '';
  if (note === '') throw badInput('text is required', { field: 'text' });
  if (note.length > MAX_NOTE_LENGTH) throw badInput(`text is longer than ${MAX_NOTE_LENGTH} characters`, { field: 'text' });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(note)) throw badInput('text may not hold control characters', { field: 'text' });
  return note;
}
