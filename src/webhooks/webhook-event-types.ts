import { OrderEventType } from '../orders/order.enums';
import { badInput } from '../shared/errors';

/** Subscribes an endpoint to every event type, including those added later. */
export const ALL_WEBHOOK_EVENTS = '*';

/** What an endpoint may subscribe to: the order timeline's event types, so a new type is deliverable at once. */
export const webhookEventTypes = (): string[] => Object.values(OrderEventType);

/** Checks and normalises a subscription list: known types or `*`, no duplicates, sorted; `*` covers the rest. */
export function normaliseEventTypes(types: readonly string[], field: string): string[] {
  if (!Array.isArray(types) || types.length === 0) {
    throw badInput(`${field} needs at least one event type (or "${ALL_WEBHOOK_EVENTS}" for all)`, { field });
  }
  const known = new Set(webhookEventTypes());
  const unknown = types.filter((type) => type !== ALL_WEBHOOK_EVENTS && !known.has(type));
  if (unknown.length > 0) {
    throw badInput(
      `${field}: unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ')}; use "${ALL_WEBHOOK_EVENTS}" or any of ${[...known].join(', ')}`,
      {
        field,
        unknown,
      },
    );
  }
  if (types.includes(ALL_WEBHOOK_EVENTS)) return [ALL_WEBHOOK_EVENTS];
  return [...new Set(types)].sort();
}
