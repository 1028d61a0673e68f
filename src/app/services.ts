import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/config';
import { AllocationSettingsService } from '../allocation/allocation-settings.service';
import { ProductService } from '../catalog/product.service';
import { StockService } from '../inventory/stock.service';
import { createLogger } from '../shared/logger';
import { WarehouseService } from '../warehouses/warehouse.service';
import { OrderService } from '../orders/order.service';
import { OrderActionService } from '../orders/order-actions.service';
import { SalesChannelService } from '../orders/sales-channel.service';
import { OutboxWaker } from '../outbox/outbox-waker';
import { PurchaseOrderService } from '../purchasing/purchase-order.service';
import { ShipmentService } from '../shipments/shipment.service';
import { TransferService } from '../transfers/transfer.service';
import { AvailabilityService } from '../allocation/availability';
import { loadPlanningPolicy } from '../allocation/planning-policy';
import { QuoteService } from '../quotes/quote.service';

/**
 * Every domain service, built once per process and shared by resolvers (API) and job processors (worker).
 * Services take the ORM and fork their own EntityManager per operation; they never import GraphQL.
 */
export interface Services {
  config: AppConfig;
  orm: MikroORM;
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
  quotes: QuoteService;
}

export function createServices(orm: MikroORM, config: AppConfig): Services {
  const allocationSettings = new AllocationSettingsService(orm);
  return {
    config,
    orm,
    warehouses: new WarehouseService(orm),
    products: new ProductService(orm),
    stock: new StockService(orm, createLogger(config, 'stock')),
    allocationSettings,
    orders: new OrderService(orm, allocationSettings, new OutboxWaker(orm)),
    orderActions: new OrderActionService(orm),
    salesChannels: new SalesChannelService(orm),
    purchaseOrders: new PurchaseOrderService(orm),
    shipments: new ShipmentService(orm),
    transfers: new TransferService(orm),
    availability: new AvailabilityService(orm, loadPlanningPolicy),
    quotes: new QuoteService(orm, allocationSettings),
  };
}
