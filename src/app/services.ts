import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/config';
import { AllocationSettingsService } from '../allocation/allocation-settings.service';
import { ProductService } from '../catalog/product.service';
import { StockService } from '../inventory/stock.service';
import { createLogger } from '../shared/logger';
import { WarehouseService } from '../warehouses/warehouse.service';
import { OrderService } from '../orders/order.service';
import { OrderActionService } from '../orders/order-actions.service';
import { SalesChannelService } from '../orders/sales-channel.service';
import { createPgPool } from '../db/pg-pool';
import { PurchaseOrderService } from '../purchasing/purchase-order.service';
import { ShipmentService } from '../shipments/shipment.service';
import { TransferService } from '../transfers/transfer.service';
import { InvoicingService } from '../invoicing/invoicing.service';
import { AvailabilityService } from '../allocation/availability';
import { LoanService } from '../loans/loan.service';
import { ReturnService } from '../returns/return.service';
import { WebhookService } from '../webhooks/webhook.service';
import { QuoteService } from '../quotes/quote.service';
import { ReferenceDataCache } from '../reference-data/reference-cache';

/**
 * Every domain service, built once per process and shared by resolvers (API) and job processors (worker).
 * Services take the ORM and fork their own EntityManager per operation; they never import GraphQL.
 */
export interface Services {
  config: AppConfig;
  orm: MikroORM;
  /** The hot paths' own pool (src/db/pg-pool.ts): named statements, prepared once per connection. Closed by `close`. */
  pg: Pool;
  /** Warehouses, lanes, settings and channel defaults, held in the process and checked by every statement using them. */
  referenceData: ReferenceDataCache;
  warehouses: WarehouseService;
  products: ProductService;
  stock: StockService;
  allocationSettings: AllocationSettingsService;
  orders: OrderService;
  orderActions: OrderActionService;
  salesChannels: SalesChannelService;
  purchaseOrders: PurchaseOrderService;
  shipments: ShipmentService;
  transfers: TransferService;
  availability: AvailabilityService;
  invoicing: InvoicingService;
  returns: ReturnService;
  loans: LoanService;
  webhooks: WebhookService;
  /** Closes what the services opened beside the ORM (the hot path's pg pool); the caller closes the ORM. */
  close(): Promise<void>;
  quotes: QuoteService;
}

/**
 * Placement groups in flight (2) plus their one-order retries, and storefront reads: each statement on it takes a
 * millisecond or two, so a few connections serve hundreds of requests a second.
 */
const HOT_PATH_POOL_SIZE = 8;

export function createServices(orm: MikroORM, config: AppConfig): Services {
  const allocationSettings = new AllocationSettingsService(orm);
  // Connections open on first use, so a process that never places an order nor asks a storefront question opens none.
  // Idle connections stay a minute (pg's default is 10 s): a burst after a pause should not pay for new backends.
  const pg = createPgPool(config.databaseUrl, HOT_PATH_POOL_SIZE, { idleTimeoutMillis: 60_000, applicationName: 'oms-hot-path' });
  const referenceData = new ReferenceDataCache();
  return {
    config,
    orm,
    pg,
    referenceData,
    warehouses: new WarehouseService(orm),
    products: new ProductService(orm),
    stock: new StockService(orm, createLogger(config, 'stock')),
    allocationSettings,
    orders: new OrderService(orm, allocationSettings, pg, { windowMs: config.placeGroupWindowMs, maxOrders: config.placeGroupMaxOrders }),
    orderActions: new OrderActionService(orm),
    salesChannels: new SalesChannelService(orm),
    purchaseOrders: new PurchaseOrderService(orm),
    shipments: new ShipmentService(orm),
    transfers: new TransferService(orm),
    availability: new AvailabilityService(pg, referenceData),
    invoicing: new InvoicingService(orm),
    returns: new ReturnService(orm),
    loans: new LoanService(orm),
    webhooks: new WebhookService(orm, { allowPrivate: config.webhookAllowPrivate, secretKey: config.webhookSecretKey }),
    close: () => pg.end(),
    quotes: new QuoteService(orm, allocationSettings),
  };
}
