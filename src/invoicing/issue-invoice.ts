import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { OrderAction, requireTransition } from '../orders/order-lifecycle';
import { recordOrderEvents } from '../orders/order-events';
import type { LockedOrder } from '../orders/order-status-sync';
import { requireVersion } from '../orders/order-version';
import { OrderEventType } from '../orders/order.enums';
import { parseDecimal } from '../shared/decimal';
import { badInput, conflict, notFound } from '../shared/errors';
import { checkText, isUuid } from '../shared/input-checks';
import { ShipmentStatus } from '../shipments/shipment.entity';
import { priceLine, sumAmounts } from './invoice-money';
import { InvoicingActor, lockOrders, raiseOrderVersions } from './invoicing-actor';
import { DocumentSeries, InvoiceKind } from './invoicing.enums';
import { takeDocumentNumber } from './take-document-number';

export interface InvoiceShipmentsCommand {
  /** Shipped shipments of one order. */
  shipmentIds: string[];
  /** A cash sale: the invoice is paid on issue. */
  cashSale?: boolean | null;
  /** The order's version the caller saw; a stale one is a CONFLICT. Left out: no check. */
  expectedVersion?: number | null;
}

export interface ConsolidatedInvoiceCommand {
  customerId: string;
  /** Only shipments shipped at or before this time. */
  upTo?: Date | null;
  /** Only orders in this currency; required when the uninvoiced shipments are in several. */
  currency?: string | null;
  cashSale?: boolean | null;
}

export interface IssuedInvoice {
  invoiceId: string;
  number: string;
}

const MAX_SHIPMENTS = 100;

/**
 * Invoices what shipped in some shipments of one order: one line per order line and shipment. The rest of the order
 * stays open (the backorder, invoiced when it ships). Run inside a transaction (pass its em).
 */
export async function invoiceShipments(em: EntityManager, command: InvoiceShipmentsCommand, actor: InvoicingActor): Promise<IssuedInvoice> {
  const ids = [...new Set(command.shipmentIds ?? [])];
  if (ids.length === 0) throw badInput('shipmentIds needs at least one shipment', { field: 'shipmentIds' });
  if (ids.length > MAX_SHIPMENTS) throw badInput(`shipmentIds may hold at most ${MAX_SHIPMENTS} shipments`, { field: 'shipmentIds' });
  const unknown = ids.find((id) => !isUuid(id));
  if (unknown !== undefined) throw notFound(`No shipment ${unknown}`);
  const found: Array<{ id: string; order_id: string }> = await em.execute(`select id, order_id from shipment where id = any(?::uuid[])`, [
    sqlArray(ids),
  ]);
  const missing = ids.find((id) => !found.some((s) => s.id === id));
  if (missing !== undefined) throw notFound(`No shipment ${missing}`);
  const orderIds = [...new Set(found.map((s) => s.order_id))];
  if (orderIds.length > 1) {
    throw badInput('shipmentIds must all be shipments of one order (issueConsolidatedInvoice invoices several orders of a customer)', {
      field: 'shipmentIds',
    });
  }
  const orders = await lockOrders(em, orderIds);
  if (command.expectedVersion != null) requireVersion(orders[0], command.expectedVersion);
  const shipments: Array<{ id: string; status: ShipmentStatus; invoice_number: string | null }> = await em.execute(
    `select s.id, s.status, i.number as invoice_number from shipment s
     left join invoice_shipment x on x.shipment_id = s.id left join invoice i on i.id = x.invoice_id
     where s.id = any(?::uuid[]) order by s.id for update of s`,
    [sqlArray(ids)],
  );
  const unshipped = shipments.find((s) => s.status !== ShipmentStatus.SHIPPED);
  if (unshipped) {
    throw conflict(`Shipment ${unshipped.id} is ${unshipped.status}: only shipped shipments are invoiced`, {
      shipmentId: unshipped.id,
      status: unshipped.status,
    });
  }
  const invoiced = shipments.find((s) => s.invoice_number !== null);
  if (invoiced) {
    throw conflict(`Shipment ${invoiced.id} is already invoiced on ${invoiced.invoice_number}`, {
      shipmentId: invoiced.id,
      invoiceNumber: invoiced.invoice_number,
    });
  }
  return writeInvoice(em, InvoiceKind.SHIPMENT, orders, ids, command.cashSale === true, actor);
}

/**
 * One invoice for every uninvoiced shipped shipment of a customer ("samleordre"), optionally up to a date. An invoice
 * has one currency: when the shipments are in several and no `currency` is given, BAD_USER_INPUT names them.
 */
export async function issueConsolidatedInvoice(
  em: EntityManager,
  command: ConsolidatedInvoiceCommand,
  actor: InvoicingActor,
): Promise<IssuedInvoice> {
  checkText(command.customerId, 'customerId', { max: 200 });
  if (command.currency != null && !/^[A-Z]{3}$/.test(command.currency)) {
    throw badInput('currency must be a three-letter ISO 4217 code such as EUR', { field: 'currency' });
  }
  const uninvoiced = (orderIds: string[] | null) =>
    em.execute<Array<{ id: string; order_id: string; currency: string }>>(
      `select s.id, s.order_id, o.currency from shipment s join sales_order o on o.id = s.order_id
       where o.customer_id = ? and s.status = 'SHIPPED' and not exists (select 1 from invoice_shipment x where x.shipment_id = s.id)
         and (?::timestamptz is null or s.shipped_at <= ?::timestamptz) and (?::text is null or o.currency = ?)
         and (?::uuid[] is null or o.id = any(?::uuid[]))
       order by s.id`,
      [
        command.customerId,
        command.upTo?.toISOString() ?? null,
        command.upTo?.toISOString() ?? null,
        command.currency ?? null,
        command.currency ?? null,
        orderIds && sqlArray(orderIds),
        orderIds && sqlArray(orderIds),
      ],
    );
  const candidates = await uninvoiced(null);
  if (candidates.length === 0)
    throw conflict(`Customer ${command.customerId} has no uninvoiced shipped shipments${command.currency ? ` in ${command.currency}` : ''}`);
  const currencies = [...new Set(candidates.map((s) => s.currency))].sort();
  if (currencies.length > 1) {
    throw badInput(
      `The uninvoiced shipments of customer ${command.customerId} are in ${currencies.join(' and ')}: an invoice has one currency, so name one (currency)`,
      {
        field: 'currency',
        currencies,
      },
    );
  }
  const orders = await lockOrders(
    em,
    candidates.map((s) => s.order_id),
  );
  // Read again under the orders' locks: another issue may have taken some of them while this one waited.
  const shipments = await uninvoiced(orders.map((o) => o.id));
  if (shipments.length === 0) throw conflict(`Customer ${command.customerId} has no uninvoiced shipped shipments left`);
  const invoicedOrders = orders.filter((o) => shipments.some((s) => s.order_id === o.id));
  return writeInvoice(
    em,
    InvoiceKind.CONSOLIDATED,
    invoicedOrders,
    shipments.map((s) => s.id),
    command.cashSale === true,
    actor,
  );
}

interface ShippedLine {
  shipment_id: string;
  order_id: string;
  order_line_id: string;
  sku: string;
  description: string;
  unit_price: string;
  quantity: number;
  tax_rate: string;
  currency: string;
  customer_id: string;
}

/** Prices the shipments' lines and writes the invoice, its lines, the invoiced shipments and the orders' events. */
async function writeInvoice(
  em: EntityManager,
  kind: InvoiceKind,
  orders: LockedOrder[],
  shipmentIds: string[],
  cashSale: boolean,
  actor: InvoicingActor,
): Promise<IssuedInvoice> {
  const shipped: ShippedLine[] = await em.execute(
    `select sl.shipment_id, l.order_id, sl.order_line_id, l.sku, coalesce(p.name, l.sku) as description, l.unit_price::text as unit_price,
            sum(sl.quantity)::int as quantity, coalesce(o.tax_rate, p.tax_rate, 0)::text as tax_rate, o.currency, o.customer_id
     from shipment_line sl join shipment s on s.id = sl.shipment_id join order_line l on l.id = sl.order_line_id
     join sales_order o on o.id = l.order_id left join product p on p.sku = l.sku
     where sl.shipment_id = any(?::uuid[])
     group by sl.shipment_id, s.shipped_at, l.order_id, o.number, sl.order_line_id, l.line_no, l.sku, p.name, l.unit_price, o.tax_rate, p.tax_rate, o.currency, o.customer_id
     order by o.number, s.shipped_at, sl.shipment_id, l.line_no`,
    [sqlArray(shipmentIds)],
  );
  if (shipped.length === 0) throw conflict('These shipments carry no units to invoice');
  for (const order of orders) requireTransition(order, OrderAction.INVOICE);
  const { currency, customer_id: customerId } = shipped[0];
  const lines = shipped.map((l, i) => {
    const unitPrice = parseDecimal(l.unit_price);
    const taxRate = parseDecimal(l.tax_rate);
    return { ...l, line_no: i + 1, unit_price: unitPrice, tax_rate: taxRate, ...priceLine(unitPrice, l.quantity, taxRate, currency) };
  });
  const totals = sumAmounts(lines, currency);
  const number = await takeDocumentNumber(em, DocumentSeries.INVOICE);
  const [invoice]: Array<{ id: string }> = await em.execute(
    `insert into invoice (id, number, kind, customer_id, currency, net_total, tax_total, gross_total, issued_by, paid_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, case when ? then now() end) returning id`,
    [number, kind, customerId, currency, totals.net, totals.tax, totals.gross, actor.name, cashSale],
  );
  await em.execute(
    `insert into invoice_line (id, invoice_id, line_no, order_id, order_line_id, shipment_id, sku, description, unit_price, quantity, tax_rate, net, tax, gross)
     select gen_random_uuid(), ?, r.line_no, r.order_id, r.order_line_id, r.shipment_id, r.sku, r.description, r.unit_price, r.quantity, r.tax_rate, r.net, r.tax, r.gross
     from json_to_recordset(?::json) as r(line_no int, order_id uuid, order_line_id uuid, shipment_id uuid, sku text, description text,
                                             unit_price numeric, quantity int, tax_rate numeric, net numeric, tax numeric, gross numeric)`,
    [invoice.id, JSON.stringify(lines)],
  );
  await em.execute(`insert into invoice_shipment (shipment_id, invoice_id) select unnest(?::uuid[]), ?`, [sqlArray(shipmentIds), invoice.id]);
  await recordOrderEvents(
    em,
    orders.map((order) => {
      const own = lines.filter((l) => l.order_id === order.id);
      const units = own.reduce((s, l) => s + l.quantity, 0);
      const gross = sumAmounts(own, currency).gross;
      return {
        orderId: order.id,
        customerId: order.customerId,
        type: OrderEventType.INVOICE_ISSUED,
        status: order.status,
        message:
          `Invoice ${number} issued by ${actor.name}: ${units} unit${units === 1 ? '' : 's'} of this order, ${currency} ${gross} with tax` +
          `${kind === InvoiceKind.CONSOLIDATED ? ` (consolidated, ${currency} ${totals.gross} in all)` : ''}${cashSale ? ', paid (cash sale)' : ''}`,
      };
    }),
  );
  await raiseOrderVersions(em, orders);
  return { invoiceId: invoice.id, number };
}
