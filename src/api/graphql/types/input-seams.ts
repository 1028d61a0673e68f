import type { DeliveryQuery } from '../../../allocation/storefront/delivery-options';
import type { CartLine } from '../../../allocation/storefront/probe';
import type { LoanInvoiceCommand, LoanInvoiceLineRequest } from '../../../invoicing/loan-invoice-request';
import type { CartLineInput, DeliveryOptionsInput } from './delivery-options';
import type { InvoiceLoanInput, LoanInvoiceLineInput } from './invoice';
import type { AllocationSettingsPatch } from '../../../allocation/allocation-settings';
import type { ProductInput as ProductCommand } from '../../../catalog/product.service';
import type { StockAdjustmentInput as StockAdjustmentCommand } from '../../../inventory/stock.service';
import type { BackorderFilter as BackorderFilterArgs } from '../../../orders/backorder-list';
import type { UpdateOrderCommand } from '../../../orders/order-actions.service';
import type { OrderFilter as OrderFilterArgs } from '../../../orders/order.service';
import type { PlaceOrderCommand } from '../../../orders/place-order';
import type {
  CreatePurchaseOrderCommand,
  PurchaseOrderFilter as PurchaseOrderFilterArgs,
  ReceiptCommand,
  UpdatePurchaseOrderCommand,
} from '../../../purchasing/purchase-order.service';
import type { CreateQuoteCommand } from '../../../quotes/quote.service';
import type { ReceiptLineInput as ReturnReceiptLine, SkuQuantity } from '../../../returns/return-quantities';
import type { AuthoriseReturnCommand, CreateExchangeCommand, ReceiveReturnCommand } from '../../../returns/return.service';
import type { ShipCommand } from '../../../shipments/shipment.service';
import type { TransferFilter as TransferFilterArgs, TransferReceiptCommand } from '../../../transfers/transfer.service';
import type { ShippingLaneView, TransferLaneView, WarehouseInput as WarehouseCommand } from '../../../warehouses/warehouse.service';
import type { RegisterEndpointCommand, UpdateEndpointCommand } from '../../../webhooks/webhook.service';
import type { AllocationSettingsInput, AllocationWeightsInput } from './allocation-settings';
import type { BackorderFilter, OrderFilter, PlaceOrderInput, PlaceOrderLineInput } from './order';
import type { UpdateOrderInput } from './order-actions';
import type { ProductInput } from './product';
import type {
  PurchaseOrderFilter,
  PurchaseOrderInput,
  PurchaseOrderLineInput,
  ReceiptInput,
  ReceiptLineInput,
  UpdatePurchaseOrderInput,
} from './purchase-order';
import type { CreateQuoteInput } from './quote';
import type { AuthoriseReturnInput, CreateExchangeInput, ReceiveReturnInput, ReturnLineInput, ReturnReceiptLineInput } from './returns';
import type { ShipInput } from './shipment';
import type { StockAdjustmentInput } from './stock';
import type { TransferFilter, TransferReceiptInput } from './transfer';
import type { ShippingLaneInput, TransferLaneInput, WarehouseInput } from './warehouse';
import type { RegisterWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook';

/**
 * The API seam, checked by the compiler. Each GraphQL input class `implements` the service type it is handed to, so
 * the service gets every field it needs with its type; `Seam` adds the other direction: a field the schema accepts
 * must be one the service's type names, or the service would silently ignore it. A failing entry names the field.
 */
type Seam<Input extends Service, Service> = [Exclude<keyof Input, keyof Service>] extends [never]
  ? true
  : { fieldsTheServiceIgnores: Exclude<keyof Input, keyof Service> };
type Checked<Seams extends true[]> = Seams;

export type CheckedInputSeams = Checked<
  [
    Seam<OrderFilter, OrderFilterArgs>,
    Seam<BackorderFilter, BackorderFilterArgs>,
    Seam<PlaceOrderInput, PlaceOrderCommand>,
    Seam<PlaceOrderLineInput, PlaceOrderCommand['lines'][number]>,
    Seam<CreateQuoteInput, CreateQuoteCommand>,
    Seam<UpdateOrderInput, UpdateOrderCommand>,
    Seam<ProductInput, ProductCommand>,
    Seam<StockAdjustmentInput, StockAdjustmentCommand>,
    Seam<WarehouseInput, WarehouseCommand>,
    Seam<ShippingLaneInput, ShippingLaneView>,
    Seam<TransferLaneInput, TransferLaneView>,
    Seam<ShipInput, ShipCommand>,
    Seam<TransferFilter, TransferFilterArgs>,
    Seam<TransferReceiptInput, TransferReceiptCommand>,
    Seam<PurchaseOrderInput, CreatePurchaseOrderCommand>,
    Seam<PurchaseOrderLineInput, CreatePurchaseOrderCommand['lines'][number]>,
    Seam<ReceiptInput, ReceiptCommand>,
    Seam<ReceiptLineInput, ReceiptCommand['lines'][number]>,
    Seam<UpdatePurchaseOrderInput, UpdatePurchaseOrderCommand>,
    Seam<PurchaseOrderFilter, PurchaseOrderFilterArgs>,
    Seam<AuthoriseReturnInput, AuthoriseReturnCommand>,
    Seam<ReturnLineInput, SkuQuantity>,
    Seam<ReceiveReturnInput, ReceiveReturnCommand>,
    Seam<ReturnReceiptLineInput, ReturnReceiptLine>,
    Seam<CreateExchangeInput, CreateExchangeCommand>,
    Seam<AllocationSettingsInput, AllocationSettingsPatch>,
    Seam<AllocationWeightsInput, NonNullable<AllocationSettingsPatch['weights']>>,
    Seam<RegisterWebhookEndpointInput, RegisterEndpointCommand>,
    Seam<UpdateWebhookEndpointInput, UpdateEndpointCommand>,
    Seam<InvoiceLoanInput, LoanInvoiceCommand>,
    Seam<LoanInvoiceLineInput, LoanInvoiceLineRequest>,
    Seam<DeliveryOptionsInput, DeliveryQuery>,
    Seam<CartLineInput, CartLine>,
  ]
>;
