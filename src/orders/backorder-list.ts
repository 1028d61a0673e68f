import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import {
  BackorderCoverage,
  BackorderSupplyKind,
  coverageOf,
  describeBackorder,
  queueBySupply,
  WaitingCover,
} from '../allocation/planner/backorder-pegging';
import { formatOrderNumber, formatPurchaseOrderNumber, formatTransferNumber } from '../shared/document-numbers';
import { Page, PageRequest, pageWindow, toPage } from '../shared/pagination';
import { sqlStatusList } from '../db/sql';
import { DEMAND_STATUSES } from './order-lifecycle';
import { precedenceRankSql } from './order-precedence';
import type { OrderFlag, OrderPriority } from './order.enums';

/** Every field narrows the list; `BACKORDER_FILTER_CLAUSES` must name each one, so none can be ignored. */
export interface BackorderFilter {
  sku?: string | null;
  customerId?: string | null;
  channel?: string | null;
  priority?: OrderPriority | null;
  /** Where the backorder will ship from (`BackorderView.warehouseCode`). */
  warehouseCode?: string | null;
  /** The supplier of a purchase order it waits for, or the product's supplier. */
  supplier?: string | null;
  /** It waits for a line of this purchase order (or is drop-shipped on it). */
  purchaseOrderId?: string | null;
  /** Placed at least this many whole days ago. */
  minAgeDays?: number | null;
  /** true: its ETA has passed; false: it has not (or there is none). */
  overdue?: boolean | null;
}

export interface BackorderSupplyView {
  kind: BackorderSupplyKind;
  quantity: number;
  eta: Date | null;
  warehouseCode: string | null;
  purchaseOrderId: string | null;
  transferId: string | null;
  queuePosition: number;
  unitsAhead: number;
  description: string;
}

export interface BackorderView {
  id: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  channel: string;
  priority: OrderPriority;
  placedAt: Date;
  sku: string;
  quantity: number;
  backorderedQuantity: number;
  eta: Date | null;
  warehouseCode: string | null;
  supply: BackorderSupplyView[];
  /** The same sentence as each supply's description. */
  description: string;
  coveredQuantity: number;
  uncoveredQuantity: number;
  coverage: BackorderCoverage;
  ageDays: number;
  overdue: boolean;
}

export interface BackorderSkuTotal {
  sku: string;
  unitsOwed: number;
  lines: number;
  oldestPlacedAt: Date;
  coveredQuantity: number;
  uncoveredQuantity: number;
}

const DAY_MS = 86_400_000;
/** Quotes and closed orders are nobody's backorder. */
const DEMAND = sqlStatusList(DEMAND_STATUSES);
const ACTIVE_WAITING = `a.status = 'ACTIVE' and a.kind in ('WAIT', 'DROP_SHIP', 'TRANSFER')`;

type Clause = (value: never, now: Date) => { sql: string; params: unknown[] };
const clause = <T>(build: (value: T, now: Date) => { sql: string; params: unknown[] }) => build as Clause;

const BACKORDER_FILTER_CLAUSES: Record<keyof BackorderFilter, Clause> = {
  sku: clause<string>((sku) => ({ sql: 'l.sku = ?', params: [sku] })),
  customerId: clause<string>((id) => ({ sql: 'o.customer_id = ?', params: [id] })),
  channel: clause<string>((channel) => ({ sql: 'o.channel = ?', params: [channel] })),
  priority: clause<string>((priority) => ({ sql: 'o.priority = ?', params: [priority] })),
  warehouseCode: clause<string>((code) => ({ sql: 'w.warehouse_code = ?', params: [code] })),
  supplier: clause<string>((supplier) => ({
    sql: `(exists (select 1 from allocation a join purchase_order_line pl on pl.id = a.purchase_order_line_id
                   join purchase_order po on po.id = pl.purchase_order_id
                   where a.order_line_id = l.id and a.status = 'ACTIVE' and po.supplier = ?)
           or exists (select 1 from product p where p.sku = l.sku and p.supplier = ?))`,
    params: [supplier, supplier],
  })),
  purchaseOrderId: clause<string>((id) => ({
    sql: `exists (select 1 from allocation a join purchase_order_line pl on pl.id = a.purchase_order_line_id
                  where a.order_line_id = l.id and a.status = 'ACTIVE' and pl.purchase_order_id = ?)`,
    params: [id],
  })),
  minAgeDays: clause<number>((days, now) => ({ sql: 'o.placed_at <= ?', params: [new Date(now.getTime() - days * DAY_MS).toISOString()] })),
  overdue: clause<boolean>((overdue, now) =>
    overdue ? { sql: 'l.eta < ?', params: [now.toISOString()] } : { sql: '(l.eta is null or l.eta >= ?)', params: [now.toISOString()] },
  ),
};

/**
 * Open backorder lines joined with where they ship from: the warehouse of the line's first WAIT on a purchase order,
 * else of any other active allocation of the line.
 */
function backorderSource(filter: BackorderFilter, now: Date): { from: string; params: unknown[] } {
  const where = [`l.backordered_quantity > 0`, `o.status in ${DEMAND}`];
  const params: unknown[] = [];
  for (const key of Object.keys(BACKORDER_FILTER_CLAUSES) as Array<keyof BackorderFilter>) {
    const value = filter[key];
    if (value === null || value === undefined || value === '') continue;
    const built = BACKORDER_FILTER_CLAUSES[key](value as never, now);
    where.push(built.sql);
    params.push(...built.params);
  }
  const from = `from order_line l join sales_order o on o.id = l.order_id
    left join lateral (select a.warehouse_code from allocation a
                       where a.order_line_id = l.id and a.status = 'ACTIVE' and a.warehouse_code is not null
                       order by (a.kind = 'WAIT') desc, a.created_at, a.id limit 1) w on true
    where ${where.join(' and ')}`;
  return { from, params };
}

interface BackorderLineRow {
  id: string;
  order_id: string;
  number: string;
  customer_id: string;
  channel: string;
  priority: OrderPriority;
  placed_at: Date | string;
  sku: string;
  quantity: number;
  backordered_quantity: number;
  eta: Date | string | null;
  warehouse_code: string | null;
}

interface BackorderTotalRow {
  sku: string;
  units_owed: number;
  lines: number;
  oldest: Date | string;
  covered: number;
}

/** Open backorder lines, in the order they will be served: priority, then age; each pegged to what it waits for. */
export async function listBackorders(em: EntityManager, filter: BackorderFilter, page: PageRequest, now = new Date()): Promise<Page<BackorderView>> {
  const window = pageWindow(page);
  const { from, params } = backorderSource(filter, now);
  const [{ count }] = await em.execute<Array<{ count: number }>>(`select count(*)::int as count ${from}`, params);
  const rows = await em.execute<BackorderLineRow[]>(
    `select l.id, o.id as order_id, o.number::text as number, o.customer_id, o.channel, o.priority, o.placed_at, l.sku, l.quantity,
            l.backordered_quantity, l.eta, w.warehouse_code
     ${from} order by ${precedenceRankSql('o')} desc, o.placed_at, o.id, l.line_no offset ? limit ?`,
    [...params, window.offset, window.limit + 1],
  );
  const supplyByLine = await loadPegging(
    em,
    rows.map((r) => r.id),
  );
  const views = rows.map((r): BackorderView => {
    const placedAt = new Date(r.placed_at);
    const eta = r.eta ? new Date(r.eta) : null;
    const supply = supplyByLine.get(r.id) ?? [];
    const coverage = coverageOf(r.backordered_quantity, supply);
    const description = describeBackorder(r.backordered_quantity, supply);
    for (const s of supply) s.description = description;
    return {
      id: r.id,
      orderId: r.order_id,
      orderNumber: formatOrderNumber(r.number),
      customerId: r.customer_id,
      channel: r.channel,
      priority: r.priority,
      placedAt,
      sku: r.sku,
      quantity: r.quantity,
      backorderedQuantity: r.backordered_quantity,
      eta,
      warehouseCode: r.warehouse_code ?? null,
      supply: supply.map(({ reference: _r, expectedAt: _e, ...view }) => view),
      description,
      ...coverage,
      ageDays: Math.max(0, Math.floor((now.getTime() - placedAt.getTime()) / DAY_MS)),
      overdue: eta !== null && eta.getTime() < now.getTime(),
    };
  });
  return toPage(views, window, count);
}

/** Units owed per SKU across the filtered backorders: the demand signal purchasing reads. */
export async function backorderTotals(em: EntityManager, filter: BackorderFilter, now = new Date()): Promise<BackorderSkuTotal[]> {
  const { from, params } = backorderSource(filter, now);
  const rows = await em.execute<BackorderTotalRow[]>(
    `select l.sku, sum(l.backordered_quantity)::int as units_owed, count(*)::int as lines, min(o.placed_at) as oldest,
            sum(least(l.backordered_quantity, coalesce((
              select sum(a.quantity) from allocation a
              where a.order_line_id = l.id and a.status = 'ACTIVE'
                and ((a.kind = 'WAIT' and a.purchase_order_line_id is not null) or a.kind = 'DROP_SHIP')), 0)))::int as covered
     ${from} group by l.sku order by l.sku`,
    params,
  );
  return rows.map((r) => ({
    sku: r.sku,
    unitsOwed: r.units_owed,
    lines: r.lines,
    oldestPlacedAt: new Date(r.oldest),
    coveredQuantity: r.covered,
    uncoveredQuantity: r.units_owed - r.covered,
  }));
}

type PeggedCover = BackorderSupplyView & { reference: string | null; expectedAt: Date | null };

interface CoverRow {
  id: string;
  order_line_id: string;
  order_id: string;
  kind: 'WAIT' | 'DROP_SHIP' | 'TRANSFER';
  sku: string;
  quantity: number;
  warehouse_code: string | null;
  eta: string | null;
  purchase_order_line_id: string | null;
  transfer_id: string | null;
  priority: OrderPriority;
  flags: OrderFlag[];
  placed_at: string;
}

const supplyKindOf = (row: Pick<CoverRow, 'kind' | 'purchase_order_line_id'>): BackorderSupplyKind =>
  row.kind === 'TRANSFER'
    ? BackorderSupplyKind.TRANSFER
    : row.kind === 'DROP_SHIP'
      ? BackorderSupplyKind.DROP_SHIP
      : row.purchase_order_line_id
        ? BackorderSupplyKind.PURCHASE_ORDER
        : BackorderSupplyKind.LEAD_TIME;

const supplyKeyOf = (row: CoverRow): string =>
  row.kind === 'TRANSFER'
    ? `transfer:${row.transfer_id ?? row.id}:${row.sku}`
    : row.purchase_order_line_id
      ? `po-line:${row.purchase_order_line_id}`
      : `lead-time:${row.sku}`;

const COVER_COLUMNS = `a.id, a.order_line_id, a.order_id, a.kind, a.sku, a.quantity, a.warehouse_code, a.eta, a.purchase_order_line_id,
  a.transfer_id, o.priority, o.flags, o.placed_at`;

/**
 * The supply each line waits for, with its queue position among every open demand waiting on that same supply.
 * Two reads: the lines' own covers (what is on order first, soonest first; the lead time last), then every cover
 * sharing one of their supplies; the queue is the pure planner's.
 */
async function loadPegging(em: EntityManager, lineIds: string[]): Promise<Map<string, PeggedCover[]>> {
  if (lineIds.length === 0) return new Map();
  const own: Array<
    CoverRow & { purchase_order_id: string | null; po_number: string | null; transfer_number: string | null; expected_at: string | null }
  > = await em.execute(
    `select ${COVER_COLUMNS}, pl.purchase_order_id, po.number::text as po_number, t.number::text as transfer_number,
              coalesce(po.expected_at, t.expected_at) as expected_at
       from allocation a join sales_order o on o.id = a.order_id
       left join purchase_order_line pl on pl.id = a.purchase_order_line_id
       left join purchase_order po on po.id = pl.purchase_order_id
       left join transfer t on t.id = a.transfer_id
       where a.order_line_id = any(?::uuid[]) and ${ACTIVE_WAITING}
       order by (a.kind = 'WAIT' and a.purchase_order_line_id is null), a.eta nulls last, a.created_at, a.id`,
    [sqlArray(lineIds)],
  );
  const poLines = [...new Set(own.map((r) => r.purchase_order_line_id).filter((id): id is string => id !== null))];
  const transfers = [...new Set(own.map((r) => r.transfer_id).filter((id): id is string => id !== null))];
  const leadTimeSkus = [...new Set(own.filter((r) => supplyKindOf(r) === BackorderSupplyKind.LEAD_TIME).map((r) => r.sku))];
  const peers: CoverRow[] = await em.execute(
    `select ${COVER_COLUMNS} from allocation a join sales_order o on o.id = a.order_id
     where ${ACTIVE_WAITING} and o.status in ${DEMAND}
       and (a.purchase_order_line_id = any(?::uuid[])
            or a.transfer_id = any(?::uuid[])
            or (a.kind = 'WAIT' and a.purchase_order_line_id is null and a.sku = any(?::text[])))`,
    [sqlArray(poLines), sqlArray(transfers), sqlArray(leadTimeSkus)],
  );
  const byId = new Map<string, CoverRow>([...peers, ...own].map((r) => [r.id, r]));
  const queue = queueBySupply([...byId.values()].map(toWaitingCover));
  const result = new Map<string, PeggedCover[]>();
  for (const row of own) {
    const kind = supplyKindOf(row);
    const slot = queue.get(row.id)!;
    const reference = row.po_number
      ? formatPurchaseOrderNumber(row.po_number)
      : row.transfer_number
        ? formatTransferNumber(row.transfer_number)
        : null;
    const list = result.get(row.order_line_id) ?? [];
    list.push({
      kind,
      quantity: row.quantity,
      eta: row.eta ? new Date(row.eta) : null,
      warehouseCode: row.warehouse_code,
      purchaseOrderId: row.purchase_order_id,
      transferId: row.transfer_id,
      ...slot,
      description: '',
      reference,
      expectedAt: row.expected_at ? new Date(row.expected_at) : row.eta ? new Date(row.eta) : null,
    });
    result.set(row.order_line_id, list);
  }
  return result;
}

function toWaitingCover(row: CoverRow): WaitingCover {
  return {
    coverId: row.id,
    lineId: row.order_line_id,
    orderId: row.order_id,
    priority: row.priority,
    flags: row.flags ?? [],
    placedAt: new Date(row.placed_at),
    kind: supplyKindOf(row),
    supplyKey: supplyKeyOf(row),
    quantity: row.quantity,
  };
}
