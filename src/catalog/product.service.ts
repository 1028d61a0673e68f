import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { FulfilmentPolicy } from '../orders/order.enums';
import { requestAllocation } from '../outbox/outbox';
import { badInput, notFound } from '../shared/errors';
import { validTaxRate } from '../invoicing/invoice-money';
import { parseDecimal } from '../shared/decimal';
import { BackorderPolicy, Product } from './product.entity';

export interface ProductView {
  sku: string;
  name: string;
  backorderPolicy: BackorderPolicy;
  reorderPoint: number;
  reorderQuantity: number;
  leadTimeDays: number;
  dropShip: boolean;
  supplier: string | null;
  /** The policy for orders of this product that choose none (null: the channel's or the deployment's). */
  fulfilmentPolicy: FulfilmentPolicy | null;
  /** Percent tax on invoice lines of this product, unless the order names its own (null: 0). */
  taxRate: string | null;
}

/** Fields left out (null or undefined) keep their stored value, or take the default for a new product. */
export interface ProductInput {
  sku: string;
  name: string;
  leadTimeDays?: number | null;
  reorderPoint?: number | null;
  reorderQuantity?: number | null;
  dropShip?: boolean | null;
  supplier?: string | null;
  backorderPolicy?: BackorderPolicy | null;
  taxRate?: string | number | null;
}

const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/;

function nonNegativeInt(value: number | null | undefined, field: string): void {
  if (value === undefined || value === null) return;
  if (!Number.isInteger(value) || value < 0) throw badInput(`${field} must be an integer of at least 0`);
}

export const toProductView = (p: Product): ProductView => ({
  sku: p.sku,
  name: p.name,
  backorderPolicy: p.backorderPolicy,
  reorderPoint: p.reorderPoint,
  reorderQuantity: p.reorderQuantity,
  leadTimeDays: p.leadTimeDays,
  dropShip: p.dropShip,
  supplier: p.supplier ?? null,
  fulfilmentPolicy: p.fulfilmentPolicy ?? null,
  taxRate: p.taxRate == null ? null : parseDecimal(p.taxRate),
});

export class ProductService {
  constructor(private readonly orm: MikroORM) {}

  async getProduct(sku: string, em: EntityManager = this.orm.em.fork()): Promise<ProductView | null> {
    const product = await em.findOne(Product, { sku: sku.trim() });
    return product ? toProductView(product) : null;
  }

  /** Sets (or with null clears) the product's default fulfilment policy; orders already placed keep theirs. */
  async setFulfilmentPolicy(sku: string, policy: FulfilmentPolicy | null): Promise<ProductView> {
    if (policy !== null && !Object.values(FulfilmentPolicy).includes(policy)) throw badInput('fulfilmentPolicy is not a FulfilmentPolicy');
    const em = this.orm.em.fork();
    const rows = await em.execute(`update product set fulfilment_policy = ? where sku = ? returning sku`, [policy, (sku ?? '').trim()]);
    if (rows.length === 0) throw notFound(`No product with SKU ${sku}`);
    return toProductView(await em.findOneOrFail(Product, { sku: rows[0].sku }));
  }

  /** Creates or updates by SKU. A change that moves promises (lead time, policy, drop ship) asks for re-allocation. */
  async upsertProduct(input: ProductInput): Promise<ProductView> {
    const sku = (input.sku ?? '').trim();
    if (!SKU_PATTERN.test(sku)) throw badInput('sku must be 1 to 64 letters, digits or . _ - / characters, starting with a letter or digit');
    const name = (input.name ?? '').trim();
    if (name === '' || name.length > 200) throw badInput('name must be between 1 and 200 characters');
    nonNegativeInt(input.leadTimeDays, 'leadTimeDays');
    nonNegativeInt(input.reorderPoint, 'reorderPoint');
    nonNegativeInt(input.reorderQuantity, 'reorderQuantity');
    if (input.backorderPolicy != null && !Object.values(BackorderPolicy).includes(input.backorderPolicy)) {
      throw badInput(`backorderPolicy must be one of ${Object.values(BackorderPolicy).join(', ')}`);
    }
    const taxRate = input.taxRate == null ? null : validTaxRate(input.taxRate, 'taxRate');
    const supplier = input.supplier === undefined || input.supplier === null ? undefined : input.supplier.trim() || null;

    return this.orm.em.fork().transactional(async (em) => {
      // Insert-or-nothing first, then lock the row: two concurrent creates of one SKU cannot collide.
      const created = await em.execute(`insert into product (sku, name) values (?, ?) on conflict (sku) do nothing returning sku`, [sku, name]);
      const product = await em.findOneOrFail(Product, { sku }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const before = created.length === 0 ? toProductView(product) : null;
      product.name = name;
      if (input.leadTimeDays != null) product.leadTimeDays = input.leadTimeDays;
      if (input.reorderPoint != null) product.reorderPoint = input.reorderPoint;
      if (input.reorderQuantity != null) product.reorderQuantity = input.reorderQuantity;
      if (input.dropShip != null) product.dropShip = input.dropShip;
      if (input.backorderPolicy != null) product.backorderPolicy = input.backorderPolicy;
      if (supplier !== undefined) product.supplier = supplier;
      if (taxRate !== null) product.taxRate = taxRate;
      if (product.dropShip && !product.supplier) throw badInput('A drop-ship product needs a supplier');
      await em.flush();
      const after = toProductView(product);
      const planningChanged =
        before !== null &&
        (['leadTimeDays', 'dropShip', 'supplier', 'backorderPolicy', 'reorderPoint', 'reorderQuantity'] as const).some(
          (field) => before[field] !== after[field],
        );
      if (planningChanged) await requestAllocation(em, [{ sku }], 'product changed');
      return after;
    });
  }
}
