/** Redis pub/sub channels, all under the deployment's REDIS_PREFIX so two deployments never cross. */
export const topics = (prefix: string) => ({
  /** Every order event, for consoles. */
  orderEvents: `${prefix}:order-events`,
  /** One order's events: `${orderUpdated}:${orderId}`. */
  orderUpdated: `${prefix}:order-updated`,
  /** One SKU's stock levels: `${stockChanged}:${sku}`. */
  stockChanged: `${prefix}:stock-changed`,
});

/** What travels on the order channels (JSON: dates as ISO strings). */
export interface OrderEventMessage {
  id: string;
  orderId: string;
  customerId: string;
  type: string;
  status: string;
  at: string;
  message: string;
}

export interface StockChangedMessage {
  sku: string;
  warehouseCode: string;
}
