import { Allocation } from '../allocation/allocation.entity';
import { AllocationRequest } from '../allocation/allocation-request.entity';
import { AllocationSettingsRecord } from '../allocation/allocation-settings.entity';
import { Product } from '../catalog/product.entity';
import { Customer } from '../customers/customer.entity';
import { CreditNote, CreditNoteLine } from '../invoicing/credit-note.entity';
import { DocumentCounter } from '../invoicing/document-counter.entity';
import { Invoice, InvoiceLine, InvoicedShipment } from '../invoicing/invoice.entity';
import { StockLevel } from '../inventory/stock-level.entity';
import { Order } from '../orders/order.entity';
import { OrderEvent } from '../orders/order-event.entity';
import { OrderLine } from '../orders/order-line.entity';
import { SalesChannel } from '../orders/sales-channel.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { GoodsReceipt, GoodsReceiptLine, GoodsReceiptServed } from '../purchasing/goods-receipt.entity';
import { PurchaseOrder, PurchaseOrderLine } from '../purchasing/purchase-order.entity';
import { ReferenceDataVersion } from '../reference-data/reference-version.entity';
import { Shipment, ShipmentLine } from '../shipments/shipment.entity';
import { Exchange, ReturnAuthorisation, ReturnLine, ReturnReceipt, ReturnReceiptLine } from '../returns/return-authorisation.entity';
import { Loan, LoanEvent, LoanLine } from '../loans/loan.entity';
import { Transfer, TransferLine } from '../transfers/transfer.entity';
import { Quote } from '../quotes/quote.entity';
import { ShippingLane, TransferLane, Warehouse } from '../warehouses/warehouse.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';

export const entities = [
  Warehouse,
  ShippingLane,
  TransferLane,
  Product,
  StockLevel,
  Customer,
  Order,
  OrderLine,
  OrderEvent,
  Allocation,
  AllocationRequest,
  AllocationSettingsRecord,
  Shipment,
  ShipmentLine,
  PurchaseOrder,
  PurchaseOrderLine,
  Transfer,
  TransferLine,
  OutboxMessage,
  SalesChannel,
  GoodsReceipt,
  GoodsReceiptLine,
  GoodsReceiptServed,
  DocumentCounter,
  Invoice,
  InvoiceLine,
  InvoicedShipment,
  CreditNote,
  CreditNoteLine,
  ReturnAuthorisation,
  ReturnLine,
  ReturnReceipt,
  ReturnReceiptLine,
  Exchange,
  Loan,
  LoanLine,
  LoanEvent,
  WebhookEndpoint,
  WebhookDelivery,
  Quote,
  ReferenceDataVersion,
];
