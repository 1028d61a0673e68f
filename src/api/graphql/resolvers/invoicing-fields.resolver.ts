import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  CreditNoteView,
  InvoiceView,
  loadCreditNotes,
  loadInvoices,
  OrderInvoicing,
  orderInvoicing,
  shipmentInvoices,
} from '../../../invoicing/invoice-views';
import { OrderInvoicingStatus, ShipmentInvoicingStatus } from '../../../invoicing/invoicing.enums';
import type { Order } from '../../../orders/order.entity';
import type { Shipment } from '../../../shipments/shipment.entity';
import { parseDecimal } from '../../../shared/decimal';
import { BatchLoader } from '../../batch-loader';
import type { ApiContext } from '../../context';
import type { Loaders } from '../../loaders';
import { DecimalScalar } from '../types/decimal';
import { CreditNoteGql, InvoiceGql } from '../types/invoice';
import { OrderGql } from '../types/order';
import { ShipmentGql } from '../types/shipment';

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));

function createInvoicingLoaders(ctx: ApiContext) {
  return {
    invoiceById: new BatchLoader<string, InvoiceView | null>(
      async (ids) => byId(await loadInvoices(ctx.em, ids)),
      () => null,
    ),
    creditNoteById: new BatchLoader<string, CreditNoteView | null>(
      async (ids) => byId(await loadCreditNotes(ctx.em, ids)),
      () => null,
    ),
    orderInvoicing: new BatchLoader<string, OrderInvoicing>(
      (ids) => orderInvoicing(ctx.em, ids),
      () => ({ status: OrderInvoicingStatus.NOT_INVOICED, invoiceIds: [] }),
    ),
    invoiceIdByShipmentId: new BatchLoader<string, string | null>(
      (ids) => shipmentInvoices(ctx.em, ids),
      () => null,
    ),
  };
}

/** Kept beside the request's loaders (and renewed with them for each subscription event), so loaders.ts stays as it is. */
const invoicingLoaders = new WeakMap<Loaders, ReturnType<typeof createInvoicingLoaders>>();
function loadersOf(ctx: ApiContext) {
  let loaders = invoicingLoaders.get(ctx.loaders);
  if (!loaders) invoicingLoaders.set(ctx.loaders, (loaders = createInvoicingLoaders(ctx)));
  return loaders;
}

const present = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);

@Resolver(() => InvoiceGql)
export class InvoiceFieldsResolver {
  @FieldResolver(() => [CreditNoteGql], { description: 'Its credit notes, oldest first' })
  async creditNotes(@Root() invoice: InvoiceView, @Ctx() ctx: ApiContext): Promise<CreditNoteView[]> {
    return present(await Promise.all(invoice.creditNoteIds.map((id) => loadersOf(ctx).creditNoteById.load(id))));
  }
}

@Resolver(() => CreditNoteGql)
export class CreditNoteFieldsResolver {
  @FieldResolver(() => InvoiceGql, { description: 'The invoice it credits' })
  async invoice(@Root() note: CreditNoteView, @Ctx() ctx: ApiContext): Promise<InvoiceView> {
    return (await loadersOf(ctx).invoiceById.load(note.invoiceId))!;
  }
}

/** Invoicing state on orders, without changing the Order type's own fields. */
@Resolver(() => OrderGql)
export class OrderInvoicingFieldsResolver {
  @FieldResolver(() => OrderInvoicingStatus, {
    description: 'NOT_INVOICED, PARTLY_INVOICED, or INVOICED once every unit not cancelled has shipped and is invoiced',
  })
  async invoicingStatus(@Root() order: Order, @Ctx() ctx: ApiContext): Promise<OrderInvoicingStatus> {
    return (await loadersOf(ctx).orderInvoicing.load(order.id)).status;
  }

  @FieldResolver(() => [InvoiceGql], { description: 'Invoices with lines of this order, oldest first' })
  async invoices(@Root() order: Order, @Ctx() ctx: ApiContext): Promise<InvoiceView[]> {
    const { invoiceIds } = await loadersOf(ctx).orderInvoicing.load(order.id);
    return present(await Promise.all(invoiceIds.map((id) => loadersOf(ctx).invoiceById.load(id))));
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: "Percent tax on this order's invoices, over its products' rates" })
  taxRate(@Root() order: Order): string | null {
    return order.taxRate == null ? null : parseDecimal(order.taxRate);
  }
}

@Resolver(() => ShipmentGql)
export class ShipmentInvoicingFieldsResolver {
  @FieldResolver(() => ShipmentInvoicingStatus)
  async invoicingStatus(@Root() shipment: Shipment, @Ctx() ctx: ApiContext): Promise<ShipmentInvoicingStatus> {
    return (await loadersOf(ctx).invoiceIdByShipmentId.load(shipment.id)) ? ShipmentInvoicingStatus.INVOICED : ShipmentInvoicingStatus.UNINVOICED;
  }

  @FieldResolver(() => InvoiceGql, { nullable: true, description: 'The invoice of this shipment, once invoiced' })
  async invoice(@Root() shipment: Shipment, @Ctx() ctx: ApiContext): Promise<InvoiceView | null> {
    const id = await loadersOf(ctx).invoiceIdByShipmentId.load(shipment.id);
    return id ? loadersOf(ctx).invoiceById.load(id) : null;
  }
}
