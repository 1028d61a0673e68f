import { AllocationKind } from './allocation.enums';
import { FulfilmentPolicy, OrderEventType, OrderFlag, OrderPriority, OrderStatus } from '../orders/order.enums';
import { deriveOrderStatus } from '../orders/order-status';
import type {
  AllocationPlan,
  DemandLine,
  InboundSupply,
  OrderDemand,
  OrderPlan,
  PlannedCover,
  PlannedEvent,
  PlannedLine,
  PlanningSnapshot,
  ProductFacts,
  ReorderSuggestion,
  WarehouseNode,
} from './planning.types';

const DAY_MS = 86_400_000;
const PRIORITY_RANK: Record<OrderPriority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Who gets scarce stock first: priority, then VIP and replacement orders within a priority, then the oldest.
 * Gift orders get attention in packing, not precedence.
 */
export function compareDemand(a: OrderDemand, b: OrderDemand): number {
  const rank = (d: OrderDemand) =>
    PRIORITY_RANK[d.priority] * 2 + (d.flags.includes(OrderFlag.VIP) || d.flags.includes(OrderFlag.REPLACEMENT) ? 1 : 0);
  return rank(b) - rank(a) || a.placedAt.getTime() - b.placedAt.getTime() || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
}

/** Working state of one planning run: what is left to promise as the plan takes it. */
class SupplyLedger {
  private readonly available = new Map<string, number>();
  private readonly inboundBySku = new Map<string, Array<InboundSupply & { left: number }>>();

  constructor(snapshot: PlanningSnapshot) {
    for (const position of snapshot.stock) {
      this.available.set(key(position.sku, position.warehouseCode), Math.max(0, position.available));
    }
    const inbound = [...snapshot.inbound].sort(
      (a, b) => a.expectedAt.getTime() - b.expectedAt.getTime() || cmp(a.supplyId, b.supplyId),
    );
    for (const supply of inbound) {
      const list = this.inboundBySku.get(supply.sku) ?? [];
      list.push({ ...supply, left: Math.max(0, supply.unpromisedQuantity) });
      this.inboundBySku.set(supply.sku, list);
    }
  }

  availableAt(sku: string, warehouseCode: string): number {
    return this.available.get(key(sku, warehouseCode)) ?? 0;
  }

  take(sku: string, warehouseCode: string, quantity: number): void {
    const left = this.availableAt(sku, warehouseCode) - quantity;
    if (left < 0) throw new Error(`planner bug: took ${quantity} of ${sku} at ${warehouseCode} beyond what is there`);
    this.available.set(key(sku, warehouseCode), left);
  }

  totalAvailable(sku: string): number {
    let total = 0;
    for (const [k, units] of this.available) if (k.startsWith(`${sku}\u0000`)) total += units;
    return total;
  }

  inbound(sku: string) {
    return this.inboundBySku.get(sku) ?? [];
  }
}

const key = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lanes and rankings of the network, fixed for one run. */
class Network {
  readonly byCode = new Map<string, WarehouseNode>();

  constructor(readonly snapshot: PlanningSnapshot) {
    for (const warehouse of [...snapshot.warehouses].sort((a, b) => cmp(a.code, b.code))) this.byCode.set(warehouse.code, warehouse);
  }

  shippingLane(warehouseCode: string, region: string) {
    return this.byCode.get(warehouseCode)?.shippingLanes.find((lane) => lane.region === region) ?? null;
  }

  transferLane(from: string, to: string) {
    return this.byCode.get(from)?.transferLanes.find((lane) => lane.toWarehouseCode === to) ?? null;
  }

  /** Active warehouses with a lane to the region, best first by the weighted days and cost, then the rest. */
  rankFor(region: string): { shipping: string[]; others: string[] } {
    const { eta, cost } = this.snapshot.policy.weights;
    const scored: Array<{ code: string; score: number }> = [];
    const others: string[] = [];
    for (const warehouse of this.byCode.values()) {
      if (!warehouse.active) continue;
      const lane = this.shippingLane(warehouse.code, region);
      if (lane) scored.push({ code: warehouse.code, score: eta * lane.days + cost * lane.cost });
      else others.push(warehouse.code);
    }
    scored.sort((a, b) => a.score - b.score || cmp(a.code, b.code));
    return { shipping: scored.map((s) => s.code), others };
  }

  shipDays(warehouseCode: string | null, region: string): number {
    if (warehouseCode) {
      const lane = this.shippingLane(warehouseCode, region);
      if (lane) return lane.days;
    }
    // No lane from that warehouse (or none named): the best lane into the region, else none at all.
    const best = this.rankFor(region).shipping[0];
    return best ? this.shippingLane(best, region)!.days : 0;
  }
}

/**
 * Decides, for every open order line in the snapshot, how its uncovered units are covered: pulled from stock in
 * one or more warehouses, transferred to the warehouse that ships the order, waiting for an inbound purchase order
 * or the supplier's lead time, or drop-shipped. Pure and deterministic: the same snapshot gives the same plan.
 */
export function planAllocation(snapshot: PlanningSnapshot): AllocationPlan {
  const ledger = new SupplyLedger(snapshot);
  const network = new Network(snapshot);
  const products = new Map(snapshot.products.map((p) => [p.sku, p]));
  const unsupplied = new Map<string, number>();
  const orders: OrderPlan[] = [];

  for (const order of [...snapshot.demand].sort(compareDemand)) {
    orders.push(planOrder(order, snapshot, network, ledger, products, unsupplied));
  }
  return { orders, reorderSuggestions: suggestReorders(snapshot, ledger, unsupplied) };
}

function planOrder(
  order: OrderDemand,
  snapshot: PlanningSnapshot,
  network: Network,
  ledger: SupplyLedger,
  products: Map<string, ProductFacts>,
  unsupplied: Map<string, number>,
): OrderPlan {
  const { now, policy } = snapshot;
  const region = order.shipToRegion;
  const maxWarehouses = Math.max(1, order.maxWarehouses ?? policy.maxWarehousesPerOrder);
  const ranking = network.rankFor(region);
  const rankIndex = (code: string) => {
    const i = ranking.shipping.indexOf(code);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  // Warehouses already shipping this order (reserved stock or a transfer's destination).
  const shippingFrom = new Set<string>();
  const parcels = new Set<string>();
  for (const line of order.lines) {
    for (const cover of line.firmCovers) {
      if ((cover.kind === AllocationKind.PULL || cover.kind === AllocationKind.TRANSFER) && cover.warehouseCode) shippingFrom.add(cover.warehouseCode);
      if (cover.kind === AllocationKind.DROP_SHIP) parcels.add(`supplier:${cover.supplier ?? ''}`);
      else if (cover.warehouseCode) parcels.add(cover.warehouseCode);
    }
  }
  const primary = () => [...shippingFrom].sort((a, b) => rankIndex(a) - rankIndex(b) || cmp(a, b))[0] ?? ranking.shipping[0] ?? null;
  const covers: PlannedCover[] = [];
  const shipComplete = order.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE;

  for (const line of order.lines) {
    let need = openNeed(line);
    const cover = (c: Omit<PlannedCover, 'lineId' | 'sku'>) => {
      covers.push({ lineId: line.lineId, sku: line.sku, ...c });
      need -= c.quantity;
    };

    // 1. Stock: warehouses already shipping this order first, then the others best first.
    const candidates = [
      ...ranking.shipping.filter((c) => shippingFrom.has(c)),
      ...ranking.shipping.filter((c) => !shippingFrom.has(c)),
      ...ranking.others,
    ];
    for (const source of candidates) {
      if (need <= 0) break;
      const units = Math.min(need, ledger.availableAt(line.sku, source));
      if (units <= 0) continue;
      const choice = chooseStockMove(source, units, shippingFrom, maxWarehouses, primary(), region, network, snapshot);
      if (!choice) continue;
      ledger.take(line.sku, source, units);
      if (choice.kind === AllocationKind.PULL) {
        shippingFrom.add(source);
        parcels.add(source);
        const days = network.shipDays(source, region);
        cover({
          kind: AllocationKind.PULL, quantity: units, warehouseCode: source, sourceWarehouseCode: null, supplyId: null, supplier: null,
          eta: addDays(now, days),
          reason: `${units} reserved at ${source}, ${days} day${days === 1 ? '' : 's'} to ${region}`,
        });
      } else {
        shippingFrom.add(choice.destination);
        parcels.add(choice.destination);
        cover({
          kind: AllocationKind.TRANSFER, quantity: units, warehouseCode: choice.destination, sourceWarehouseCode: source, supplyId: null, supplier: null,
          eta: addDays(now, choice.days),
          reason: `${units} transferred from ${source} to ${choice.destination} to ship in one parcel, expected ${isoDay(addDays(now, choice.days))}`,
        });
      }
    }
    if (need <= 0) continue;

    // 2. Inbound supply and drop ship for what stock cannot cover.
    const product = products.get(line.sku);
    const leadTimeDays = product?.leadTimeDays ?? 0;
    const dropShipSupplier =
      policy.allowDropShip && product?.dropShip && product.supplier && !shipComplete &&
      (parcels.has(`supplier:${product.supplier}`) || parcels.size < maxWarehouses)
        ? product.supplier
        : null;
    const dropShipEta = addDays(now, leadTimeDays);
    for (const supply of ledger.inbound(line.sku)) {
      if (need <= 0) break;
      if (supply.left <= 0) continue;
      const eta = addDays(supply.expectedAt < now ? now : supply.expectedAt, network.shipDays(supply.warehouseCode, region));
      if (dropShipSupplier && dropShipEta < eta) break;
      const units = Math.min(need, supply.left);
      supply.left -= units;
      cover({
        kind: AllocationKind.WAIT, quantity: units, warehouseCode: supply.warehouseCode, sourceWarehouseCode: null, supplyId: supply.supplyId, supplier: null,
        eta,
        reason: `${units} wait for ${supply.reference}, expected ${isoDay(supply.expectedAt)} at ${supply.warehouseCode}`,
      });
    }
    if (need <= 0) continue;
    if (dropShipSupplier) {
      parcels.add(`supplier:${dropShipSupplier}`);
      cover({
        kind: AllocationKind.DROP_SHIP, quantity: need, warehouseCode: null, sourceWarehouseCode: null, supplyId: null, supplier: dropShipSupplier,
        eta: dropShipEta,
        reason: `${need} drop-shipped by ${dropShipSupplier} straight to the customer, expected ${isoDay(dropShipEta)}`,
      });
      continue;
    }
    const eta = addDays(now, leadTimeDays + network.shipDays(primary(), region));
    unsupplied.set(line.sku, (unsupplied.get(line.sku) ?? 0) + need);
    cover({
      kind: AllocationKind.WAIT, quantity: need, warehouseCode: null, sourceWarehouseCode: null, supplyId: null, supplier: null,
      eta,
      reason: `${need} wait for restocking: no purchase order is open, the supplier's lead time is ${leadTimeDays} days (expected ${isoDay(eta)})`,
    });
  }

  return settleOrder(order, covers);
}

interface StockMove {
  kind: AllocationKind.PULL | AllocationKind.TRANSFER;
  destination: string;
  days: number;
}

/**
 * Pull from a warehouse that already ships the order; or open a new parcel there; or move the units to the
 * warehouse that ships the order, when the transfer arrives soon enough or no other parcel is allowed.
 */
function chooseStockMove(
  source: string,
  units: number,
  shippingFrom: Set<string>,
  maxWarehouses: number,
  primary: string | null,
  region: string,
  network: Network,
  snapshot: PlanningSnapshot,
): StockMove | null {
  const directLane = network.shippingLane(source, region);
  if (directLane && (shippingFrom.has(source) || shippingFrom.size === 0)) return { kind: AllocationKind.PULL, destination: source, days: directLane.days };
  if (!primary || primary === source) return null;
  const transferLane = network.transferLane(source, primary);
  const primaryLane = network.shippingLane(primary, region);
  const canTransfer = transferLane !== null && primaryLane !== null && (shippingFrom.has(primary) || shippingFrom.size < maxWarehouses);
  const canSplit = directLane !== null && shippingFrom.size < maxWarehouses;
  if (!canTransfer) return canSplit ? { kind: AllocationKind.PULL, destination: source, days: directLane!.days } : null;
  const transferDays = transferLane!.days + primaryLane!.days;
  if (!canSplit) return { kind: AllocationKind.TRANSFER, destination: primary, days: transferDays };
  const { weights, preferTransferWithinDays } = snapshot.policy;
  const splitDays = directLane!.days;
  const splitScore = weights.eta * splitDays + weights.cost * directLane!.cost + weights.parcels;
  const transferScore = weights.eta * transferDays + weights.cost * (transferLane!.cost + primaryLane!.cost);
  const preferTransfer = transferDays - splitDays <= preferTransferWithinDays || transferScore < splitScore;
  return preferTransfer
    ? { kind: AllocationKind.TRANSFER, destination: primary, days: transferDays }
    : { kind: AllocationKind.PULL, destination: source, days: splitDays };
}

/** Units of a line that nothing firm covers: what this run plans (waits are always planned afresh). */
export function openNeed(line: DemandLine): number {
  const firm = line.firmCovers.reduce((sum, c) => sum + c.quantity, 0);
  return Math.max(0, line.quantity - line.shippedQuantity - line.cancelledQuantity - firm);
}

const isBackorder = (kind: AllocationKind) => kind === AllocationKind.WAIT || kind === AllocationKind.DROP_SHIP;

/** Quantities, status, split, ETAs and timeline events of one order once its covers are chosen. */
function settleOrder(order: OrderDemand, covers: PlannedCover[]): OrderPlan {
  const byLine = new Map<string, PlannedCover[]>();
  for (const c of covers) byLine.set(c.lineId, [...(byLine.get(c.lineId) ?? []), c]);
  const shipComplete = order.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE;

  let lines: PlannedLine[] = order.lines.map((line) => {
    const planned = byLine.get(line.lineId) ?? [];
    const firmAllocated = line.firmCovers.filter((c) => !isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const firmBackordered = line.firmCovers.filter((c) => isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const newAllocated = planned.filter((c) => !isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const newBackordered = planned.filter((c) => isBackorder(c.kind)).reduce((s, c) => s + c.quantity, 0);
    const etas = [...line.firmCovers.map((c) => c.eta), ...planned.map((c) => c.eta)].filter((d): d is Date => d !== null);
    return {
      lineId: line.lineId,
      quantity: line.quantity,
      allocatedQuantity: firmAllocated + newAllocated,
      backorderedQuantity: firmBackordered + newBackordered,
      eta: etas.length > 0 ? new Date(Math.max(...etas.map((d) => d.getTime()))) : line.currentEta,
    };
  });

  // SPLIT_ORDER: when part ships now and part must wait, the waiting part becomes a new linked order.
  let split: OrderPlan['split'] = null;
  const waits = covers.filter((c) => c.kind === AllocationKind.WAIT);
  const allocatedNow = lines.reduce((s, l) => s + l.allocatedQuantity, 0);
  if (order.fulfilmentPolicy === FulfilmentPolicy.SPLIT_ORDER && waits.length > 0 && allocatedNow > 0) {
    const moved = new Map<string, number>();
    for (const w of waits) moved.set(w.lineId, (moved.get(w.lineId) ?? 0) + w.quantity);
    split = {
      lines: order.lines.filter((l) => moved.has(l.lineId)).map((l) => ({ fromLineId: l.lineId, sku: l.sku, quantity: moved.get(l.lineId)! })),
    };
    lines = lines.map((l) => {
      const units = moved.get(l.lineId) ?? 0;
      if (units === 0) return l;
      const stays = byLine.get(l.lineId)!.filter((c) => c.kind !== AllocationKind.WAIT);
      const firm = order.lines.find((d) => d.lineId === l.lineId)!.firmCovers;
      const etas = [...firm.map((c) => c.eta), ...stays.map((c) => c.eta)].filter((d): d is Date => d !== null);
      return {
        ...l,
        quantity: l.quantity - units,
        backorderedQuantity: l.backorderedQuantity - units,
        eta: etas.length > 0 ? new Date(Math.max(...etas.map((d) => d.getTime()))) : null,
      };
    });
  }

  // Shipping complete: every line reaches the customer with the last one.
  if (shipComplete) {
    const latest = Math.max(...lines.map((l) => l.eta?.getTime() ?? 0));
    if (latest > 0) lines = lines.map((l) => ({ ...l, eta: new Date(latest) }));
  }

  const demandLine = new Map(order.lines.map((l) => [l.lineId, l]));
  const status = deriveOrderStatus(
    order.fulfilmentPolicy,
    lines.map((l) => ({ ...l, shippedQuantity: demandLine.get(l.lineId)!.shippedQuantity, cancelledQuantity: demandLine.get(l.lineId)!.cancelledQuantity })),
  );
  const waiting = lines.filter((l) => l.backorderedQuantity > 0);
  const holdReason =
    status === OrderStatus.ON_HOLD
      ? `Ships complete: waiting for ${waiting.map((l) => `${l.backorderedQuantity} × ${demandLine.get(l.lineId)!.sku}`).join(', ')}` +
        (lines[0]?.eta ? `, expected ${isoDay(lines[0].eta)}` : '')
      : null;

  return { orderId: order.orderId, status, holdReason, lines, covers, split, events: eventsFor(order, covers, lines, status, split, demandLine) };
}

function eventsFor(
  order: OrderDemand,
  covers: PlannedCover[],
  lines: PlannedLine[],
  status: OrderStatus,
  split: OrderPlan['split'],
  demandLine: Map<string, DemandLine>,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const describe = (kind: AllocationKind) =>
    covers.filter((c) => c.kind === kind).map((c) => `${c.sku}: ${c.reason}`).join('; ');
  if (covers.some((c) => c.kind === AllocationKind.PULL)) events.push({ type: OrderEventType.ALLOCATED, message: describe(AllocationKind.PULL) });
  if (covers.some((c) => c.kind === AllocationKind.TRANSFER)) events.push({ type: OrderEventType.TRANSFER_CREATED, message: describe(AllocationKind.TRANSFER) });
  if (covers.some((c) => c.kind === AllocationKind.DROP_SHIP)) events.push({ type: OrderEventType.DROP_SHIP_ORDERED, message: describe(AllocationKind.DROP_SHIP) });
  const firstPlan = order.status === OrderStatus.PENDING;
  if (firstPlan && covers.some((c) => c.kind === AllocationKind.WAIT)) events.push({ type: OrderEventType.BACKORDERED, message: describe(AllocationKind.WAIT) });
  if (split) {
    events.push({ type: OrderEventType.SPLIT, message: `Split: ${split.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} moved to a new order` });
  }
  if (!firstPlan) {
    for (const line of lines) {
      const before = demandLine.get(line.lineId)!.currentEta;
      if (before && line.eta && isoDay(before) !== isoDay(line.eta)) {
        events.push({ type: OrderEventType.ETA_CHANGED, message: `ETA of ${demandLine.get(line.lineId)!.sku} moved from ${isoDay(before)} to ${isoDay(line.eta)}` });
      }
    }
  }
  if (status === OrderStatus.ON_HOLD && order.status !== OrderStatus.ON_HOLD) {
    events.push({ type: OrderEventType.ON_HOLD, message: 'On hold until the whole order can ship' });
  }
  if (order.status === OrderStatus.ON_HOLD && status !== OrderStatus.ON_HOLD) {
    events.push({ type: OrderEventType.RELEASED, message: 'Released: every line can now ship' });
  }
  return events;
}

/**
 * Reorder signals, once per product: when what is left to promise falls below the reorder point, or demand
 * waits with no purchase order to wait for.
 */
function suggestReorders(snapshot: PlanningSnapshot, ledger: SupplyLedger, unsupplied: Map<string, number>): ReorderSuggestion[] {
  const suggested = new Set(snapshot.skusWithOpenSuggestion);
  const suggestions: ReorderSuggestion[] = [];
  for (const product of [...snapshot.products].sort((a, b) => cmp(a.sku, b.sku))) {
    if (suggested.has(product.sku)) continue;
    const waiting = unsupplied.get(product.sku) ?? 0;
    const position = ledger.totalAvailable(product.sku) + ledger.inbound(product.sku).reduce((s, i) => s + i.left, 0);
    const belowReorderPoint = product.reorderPoint > 0 && position < product.reorderPoint;
    if (!belowReorderPoint && waiting === 0) continue;
    const quantity = product.reorderQuantity + waiting || Math.max(0, product.reorderPoint - position);
    if (quantity <= 0) continue;
    const warehouseCode = receivingWarehouse(snapshot, product.sku);
    if (!warehouseCode) continue;
    const why = [
      belowReorderPoint ? `${position} available or on order is below the reorder point of ${product.reorderPoint}` : null,
      waiting > 0 ? `${waiting} backordered with no purchase order open` : null,
    ].filter(Boolean);
    suggestions.push({
      sku: product.sku,
      supplier: product.supplier ?? 'UNASSIGNED',
      warehouseCode,
      quantity,
      reason: `Suggested ${quantity} (reorder quantity ${product.reorderQuantity} + ${waiting} backordered): ${why.join('; ')}`,
    });
  }
  return suggestions;
}

/** Restock where the product is kept most; a product kept nowhere yet goes to the first active warehouse. */
function receivingWarehouse(snapshot: PlanningSnapshot, sku: string): string | null {
  const active = new Set(snapshot.warehouses.filter((w) => w.active).map((w) => w.code));
  const kept = snapshot.stock
    .filter((s) => s.sku === sku && active.has(s.warehouseCode))
    .sort((a, b) => b.onHand - a.onHand || cmp(a.warehouseCode, b.warehouseCode));
  return kept[0]?.warehouseCode ?? [...active].sort(cmp)[0] ?? null;
}
