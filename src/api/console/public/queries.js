// The GraphQL documents of the console page (besides the backorder list, built in columns.js).

const ORDER_FIELDS = `id number version status priority flags customerId channel fulfilmentPolicy shipToRegion holdReason placedAt
  lines { sku quantity allocatedQuantity backorderedQuantity shippedQuantity cancelledQuantity eta allocations { kind quantity reason } }
  events { id at type status message }`;

export const ORDER = `query ConsoleOrder($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
export const ORDER_VERSION = `query ConsoleOrderVersion($id: ID!) { order(id: $id) { id version } }`;

export const ACTIONS = {
  priority: {
    done: 'Priority changed',
    query: `mutation ConsoleChangePriority($input: UpdateOrderInput!) { result: updateOrder(input: $input) { ${ORDER_FIELDS} } }`,
    variables: (order, values) => ({ input: { orderId: order.id, expectedVersion: order.version, priority: values.priority } }),
  },
  note: {
    done: 'Note added',
    query: `mutation ConsoleAddNote($orderId: ID!, $expectedVersion: Int!, $text: String!) {
  result: addOrderNote(orderId: $orderId, expectedVersion: $expectedVersion, text: $text) { ${ORDER_FIELDS} } }`,
    variables: (order, values) => ({ orderId: order.id, expectedVersion: order.version, text: values.text }),
  },
  release: {
    done: 'Hold released',
    query: `mutation ConsoleReleaseHold($orderId: ID!, $expectedVersion: Int!) {
  result: releaseOrderHold(orderId: $orderId, expectedVersion: $expectedVersion) { ${ORDER_FIELDS} } }`,
    variables: (order) => ({ orderId: order.id, expectedVersion: order.version }),
  },
  reallocate: {
    done: 'Re-allocation requested',
    query: `mutation ConsoleReallocate($orderId: ID!, $expectedVersion: Int!) {
  result: reallocateOrder(orderId: $orderId, expectedVersion: $expectedVersion) { ${ORDER_FIELDS} } }`,
    variables: (order) => ({ orderId: order.id, expectedVersion: order.version }),
  },
  cancel: {
    done: 'Order cancelled',
    query: `mutation ConsoleCancel($orderId: ID!, $expectedVersion: Int!, $reason: String) {
  result: cancelOrder(orderId: $orderId, expectedVersion: $expectedVersion, reason: $reason) { ${ORDER_FIELDS} } }`,
    variables: (order, values) => ({ orderId: order.id, expectedVersion: order.version, reason: values.reason?.trim() || null }),
  },
};

export const ORDER_EVENTS = `subscription ConsoleOrderEvents { orderEvents { orderId type status at } }`;
