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

  private readonly rankings = new Map<string, { shipping: string[]; others: string[] }>();

  /** Active warehouses with a lane to the region, best first by the weighted days and cost, then the rest. */
  rankFor(region: string): { shipping: string[]; others: string[] } {
    let ranking = this.rankings.get(region);
    if (!ranking) this.rankings.set(region, (ranking = this.computeRanking(region)));
    return ranking;
  }

  private computeRanking(region: string): { shipping: string[]; others: string[] } {
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
  const maxParcels = Math.max(1, order.maxWarehouses ?? policy.maxWarehousesPerOrder);
  const shipComplete = order.fulfilmentPolicy === FulfilmentPolicy.SHIP_COMPLETE;
  const parcels = new Parcels(network, order);
  const ranking = rankForOrder(order, network, ledger, snapshot);
  const covers: PlannedCover[] = [];
  const need = new Map(order.lines.map((line) => [line.lineId, openNeed(line)]));
  const cover = (line: DemandLine, c: Omit<PlannedCover, 'lineId' | 'sku'>) => {
    covers.push({ lineId: line.lineId, sku: line.sku, ...c });
    need.set(line.lineId, need.get(line.lineId)! - c.quantity);
  };

  // Pass 1, stock, for every line before any line waits or drop-ships: stock always comes first.
  for (const line of order.lines) {
    const candidates = [
      ...ranking.shipping.filter((c) => parcels.warehouses.has(c)),
      ...ranking.shipping.filter((c) => !parcels.warehouses.has(c)),
      ...ranking.others,
    ];
    for (const source of candidates) {
      const units = Math.min(need.get(line.lineId)!, ledger.availableAt(line.sku, source));
      if (units <= 0) continue;
      const move = chooseStockMove(source, parcels, maxParcels, region, network, policy.preferTransferWithinDays);
      if (!move) continue;
      ledger.take(line.sku, source, units);
      parcels.addWarehouse(move.destination);
      if (move.kind === AllocationKind.PULL) {
        cover(line, {
          kind: AllocationKind.PULL, quantity: units, warehouseCode: source, sourceWarehouseCode: null, supplyId: null, supplier: null,
          eta: addDays(now, move.days),
          reason: `${units} reserved at ${source}, ${move.days} day${move.days === 1 ? '' : 's'} to ${region}`,
        });
      } else {
        const eta = addDays(now, move.days);
        cover(line, {
          kind: AllocationKind.TRANSFER, quantity: units, warehouseCode: move.destination, sourceWarehouseCode: source, supplyId: null, supplier: null,
          eta,
          reason: `${units} transferred from ${source} to ${move.destination} to ship in one parcel, expected ${isoDay(eta)}`,
        });
      }
    }
  }

  // Pass 2: inbound purchase orders (soonest delivery first), drop ship, or the supplier's lead time.
  for (const line of order.lines) {
    let left = need.get(line.lineId)!;
    if (left <= 0) continue;
    const product = products.get(line.sku);
    const leadTimeDays = product?.leadTimeDays ?? 0;
    const dropShipSupplier =
      policy.allowDropShip && product?.dropShip && product.supplier && !shipComplete && parcels.mayAddSupplier(product.supplier, maxParcels)
        ? product.supplier
        : null;
    const dropShipEta = addDays(now, leadTimeDays);
    const inbound = ledger
      .inbound(line.sku)
      .filter((supply) => supply.left > 0)
      .map((supply) => ({ supply, eta: addDays(supply.expectedAt < now ? now : supply.expectedAt, network.shipDays(supply.warehouseCode, region)) }))
      .sort((a, b) => a.eta.getTime() - b.eta.getTime() || a.supply.expectedAt.getTime() - b.supply.expectedAt.getTime() || cmp(a.supply.supplyId, b.supply.supplyId));
    for (const { supply, eta } of inbound) {
      if (left <= 0) break;
      if (dropShipSupplier && dropShipEta < eta) break;
      const units = Math.min(left, supply.left);
      supply.left -= units;
      left -= units;
      cover(line, {
        kind: AllocationKind.WAIT, quantity: units, warehouseCode: supply.warehouseCode, sourceWarehouseCode: null, supplyId: supply.supplyId, supplier: null,
        eta,
        reason: `${units} wait for ${supply.reference}, expected ${isoDay(supply.expectedAt)} at ${supply.warehouseCode}`,
      });
    }
    if (left <= 0) continue;
    if (dropShipSupplier) {
      parcels.addSupplier(dropShipSupplier);
      cover(line, {
        kind: AllocationKind.DROP_SHIP, quantity: left, warehouseCode: null, sourceWarehouseCode: null, supplyId: null, supplier: dropShipSupplier,
        eta: dropShipEta,
        reason: `${left} drop-shipped by ${dropShipSupplier} straight to the customer, expected ${isoDay(dropShipEta)}`,
      });
      continue;
    }
    const eta = addDays(now, leadTimeDays + network.shipDays(parcels.primary(ranking.shipping), region));
    unsupplied.set(line.sku, (unsupplied.get(line.sku) ?? 0) + left);
    const why = ledger.inbound(line.sku).length > 0 ? 'every open purchase order is promised to earlier orders' : 'no purchase order is open';
    cover(line, {
      kind: AllocationKind.WAIT, quantity: left, warehouseCode: null, sourceWarehouseCode: null, supplyId: null, supplier: null,
      eta,
      reason: `${left} wait for restocking: ${why}; the supplier's lead time is ${leadTimeDays} days (expected ${isoDay(eta)})`,
    });
  }

  return settleOrder(order, covers);
}

/**
 * The parcels an order ships in: warehouses that already ship it (reserved stock or a transfer's destination) and
 * suppliers that drop-ship it. `maxWarehouses` bounds them all.
 */
class Parcels {
  readonly warehouses = new Set<string>();
  private readonly suppliers = new Set<string>();

  constructor(private readonly network: Network, order: OrderDemand) {
    for (const line of order.lines) {
      for (const c of line.firmCovers) {
        if (c.kind === AllocationKind.DROP_SHIP) this.suppliers.add(c.supplier ?? '');
        else if ((c.kind === AllocationKind.PULL || c.kind === AllocationKind.TRANSFER) && c.warehouseCode) this.warehouses.add(c.warehouseCode);
      }
    }
  }

  get count(): number {
    return this.warehouses.size + this.suppliers.size;
  }

  addWarehouse(code: string): void {
    this.warehouses.add(code);
  }

  addSupplier(supplier: string): void {
    this.suppliers.add(supplier);
  }

  mayAddSupplier(supplier: string, maxParcels: number): boolean {
    return this.suppliers.has(supplier) || this.count < maxParcels;
  }

  /** The active warehouse that ships the order (best ranked of those already shipping it), or the best ranked. */
  primary(ranking: string[]): string | null {
    return ranking.find((code) => this.warehouses.has(code)) ?? ranking[0] ?? null;
  }

  isActive(code: string): boolean {
    return this.network.byCode.get(code)?.active ?? false;
  }
}

/**
 * Warehouses with a lane to the order's region, best first: weighted days and cost, plus the parcels weight
 * for every extra parcel a warehouse would leave the order needing (one that holds every line's need saves one).
 */
function rankForOrder(order: OrderDemand, network: Network, ledger: SupplyLedger, snapshot: PlanningSnapshot) {
  const { shipping, others } = network.rankFor(order.shipToRegion);
  const { eta, cost, parcels } = snapshot.policy.weights;
  const open = order.lines.filter((line) => openNeed(line) > 0);
  const score = (code: string) => {
    const lane = network.shippingLane(code, order.shipToRegion)!;
    const holdsAll = open.every((line) => ledger.availableAt(line.sku, code) >= openNeed(line));
    return eta * lane.days + cost * lane.cost + parcels * (holdsAll ? 0 : 1);
  };
  const scored = shipping.map((code, index) => ({ code, index, score: score(code) }));
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return { shipping: scored.map((s) => s.code), others };
}

interface StockMove {
  kind: AllocationKind.PULL | AllocationKind.TRANSFER;
  destination: string;
  days: number;
}

/**
 * Pull from a warehouse that already ships the order; or make it the order's first parcel; or, for stock in
 * another warehouse, move it to the one that ships the order when the transfer arrives at most
 * `preferTransferWithinDays` after a parcel of its own would (or no other parcel is allowed), else ship it apart.
 */
function chooseStockMove(
  source: string,
  parcels: Parcels,
  maxParcels: number,
  region: string,
  network: Network,
  preferTransferWithinDays: number,
): StockMove | null {
  const directLane = network.shippingLane(source, region);
  if (directLane && parcels.warehouses.has(source)) return { kind: AllocationKind.PULL, destination: source, days: directLane.days };
  if (directLane && parcels.warehouses.size === 0 && parcels.count < maxParcels) {
    return { kind: AllocationKind.PULL, destination: source, days: directLane.days };
  }
  const primary = parcels.primary(network.rankFor(region).shipping);
  if (!primary || primary === source || !parcels.isActive(primary)) return null;
  const transferLane = network.transferLane(source, primary);
  const primaryLane = network.shippingLane(primary, region);
  const canTransfer = transferLane !== null && primaryLane !== null && (parcels.warehouses.has(primary) || parcels.count < maxParcels);
  const canSplit = directLane !== null && parcels.count < maxParcels;
  if (!canTransfer) return canSplit ? { kind: AllocationKind.PULL, destination: source, days: directLane!.days } : null;
  const transferDays = transferLane!.days + primaryLane!.days;
  if (!canSplit || transferDays - directLane!.days <= preferTransferWithinDays) {
    return { kind: AllocationKind.TRANSFER, destination: primary, days: transferDays };
  }
  return { kind: AllocationKind.PULL, destination: source, days: directLane!.days };
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

/**
 * Restock where the product is kept most; a product kept nowhere yet goes to the best-connected active warehouse
 * (fewest shipping days on average over its lanes).
 */
function receivingWarehouse(snapshot: PlanningSnapshot, sku: string): string | null {
  const active = snapshot.warehouses.filter((w) => w.active);
  const activeCodes = new Set(active.map((w) => w.code));
  const kept = snapshot.stock
    .filter((s) => s.sku === sku && s.onHand > 0 && activeCodes.has(s.warehouseCode))
    .sort((a, b) => b.onHand - a.onHand || cmp(a.warehouseCode, b.warehouseCode));
  if (kept[0]) return kept[0].warehouseCode;
  const averageDays = (w: WarehouseNode) =>
    w.shippingLanes.length > 0 ? w.shippingLanes.reduce((s, l) => s + l.days, 0) / w.shippingLanes.length : Number.MAX_SAFE_INTEGER;
  return [...active].sort((a, b) => averageDays(a) - averageDays(b) || cmp(a.code, b.code))[0]?.code ?? null;
}
