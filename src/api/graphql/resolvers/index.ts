import { AllocationSettingsResolver } from './allocation-settings.resolver';
import { AllocationFieldsResolver, OrderEventFieldsResolver, OrderFieldsResolver, OrderLineFieldsResolver } from './order-fields.resolver';
import { ProductResolver } from './product.resolver';
import {
  GoodsReceiptFieldsResolver,
  GoodsReceiptServedFieldsResolver,
  PurchaseOrderFieldsResolver,
  PurchaseOrderLineFieldsResolver,
} from './purchase-order-fields.resolver';
import { ShipmentFieldsResolver } from './shipment-fields.resolver';
import { StockResolver } from './stock.resolver';
import { SubscriptionResolver } from './subscription.resolver';
import { TransferFieldsResolver } from './transfer-fields.resolver';
import { WarehouseResolver } from './warehouse.resolver';
import { OrderResolver } from './order.resolver';
import { OrderActionsResolver } from './order-actions.resolver';
import { PurchaseOrderResolver } from './purchase-order.resolver';
import { ShipmentResolver } from './shipment.resolver';
import { TransferResolver } from './transfer.resolver';
import { AvailabilityResolver } from './availability.resolver';
import { BackorderFieldsResolver, BackorderSupplyFieldsResolver } from './backorder-fields.resolver';
import { WarehouseFieldsResolver } from './warehouse-fields.resolver';
import { InvoiceResolver } from './invoice.resolver';
import {
  CreditNoteFieldsResolver,
  InvoiceFieldsResolver,
  OrderInvoicingFieldsResolver,
  ShipmentInvoicingFieldsResolver,
} from './invoicing-fields.resolver';
import { OrderReturnsFieldsResolver, ReturnsResolver } from './returns.resolver';
import { LoansResolver } from './loans.resolver';
import { WebhookResolver } from './webhook.resolver';
import { QuoteFieldsResolver, QuoteResolver } from './quote.resolver';

/**
 * Every resolver class in the schema. Add a resolver by importing it here and appending it to the list; give each
 * Query, Mutation and Subscription field an @Authorized (test/unit/schema.test.ts fails without one), then run
 * `npm run schema:emit` and commit schema/schema.graphql.
 */
// type-graphql's buildSchema and its metadata (`op.target`) speak of resolver classes as `Function`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: [Function, ...Function[]] = [
  WarehouseResolver,
  ProductResolver,
  StockResolver,
  AllocationSettingsResolver,
  SubscriptionResolver,
  OrderFieldsResolver,
  OrderLineFieldsResolver,
  OrderEventFieldsResolver,
  ShipmentFieldsResolver,
  PurchaseOrderFieldsResolver,
  PurchaseOrderLineFieldsResolver,
  TransferFieldsResolver,
  OrderResolver,
  OrderActionsResolver,
  PurchaseOrderResolver,
  ShipmentResolver,
  TransferResolver,
  AvailabilityResolver,
  BackorderFieldsResolver,
  BackorderSupplyFieldsResolver,
  AllocationFieldsResolver,
  WarehouseFieldsResolver,
  GoodsReceiptFieldsResolver,
  GoodsReceiptServedFieldsResolver,
  InvoiceResolver,
  InvoiceFieldsResolver,
  CreditNoteFieldsResolver,
  OrderInvoicingFieldsResolver,
  ShipmentInvoicingFieldsResolver,
  ReturnsResolver,
  OrderReturnsFieldsResolver,
  LoansResolver,
  WebhookResolver,
  QuoteResolver,
  QuoteFieldsResolver,
];
