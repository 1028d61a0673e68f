import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/config';
import { AllocationSettingsService } from '../allocation/allocation-settings.service';
import { ProductService } from '../catalog/product.service';
import { StockService } from '../inventory/stock.service';
import { createLogger } from '../shared/logger';
import { WarehouseService } from '../warehouses/warehouse.service';

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
}

export function createServices(orm: MikroORM, config: AppConfig): Services {
  return {
    config,
    orm,
    warehouses: new WarehouseService(orm),
    products: new ProductService(orm),
    stock: new StockService(orm, createLogger(config, 'stock')),
    allocationSettings: new AllocationSettingsService(orm),
  };
}
