import { AllocationKind } from './allocation.enums';
import { FulfilmentPolicy } from '../orders/order.enums';
import type { AllocationPlan, DemandLine, OrderDemand, OrderPlan, PlannedCover, PlanningSnapshot, ProductFacts } from './planning.types';
import { addDays, isoDay } from '../shared/dates';
import { cmp, compareDemand, Network, SupplyLedger } from './planner/planning-world';
import { suggestReorders } from './planner/reorder-suggestions';
import { openNeed, settleOrder } from './planner/settle-order';

export { compareDemand } from './planner/planning-world';
export { openNeed } from './planner/settle-order';

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

/**
 * What-if planning for storefront questions: the snapshot's demand that goes before the probes is planned once,
 * then each group of probe orders is planned, the way `planAllocation` would plan it next, on its own copy of what
 * is left. Demand that goes after the probes cannot change their plans and is not planned. Every probe must have
 * the same precedence and placing time (orders placed now), so "before the probes" is one set.
 */
export function planProbeGroups(snapshot: PlanningSnapshot, groups: OrderDemand[][]): { earlier: OrderPlan[]; groups: OrderPlan[][] } {
  const probes = groups.flat();
  if (probes.length === 0) return { earlier: [], groups: groups.map(() => []) };
  const reference = probes[0];
  if (probes.some((p) => compareDemand({ ...p, orderId: reference.orderId }, reference) !== 0)) {
    throw new Error('planner bug: probe orders of one question must share precedence and placing time');
  }
  const before = planEarlierDemand(snapshot, reference);
  return { earlier: before.earlier, groups: planProbeGroupsAfter(snapshot, before, groups) };
}

/** The open demand that goes before a probe, planned; `ledger` is what it leaves (never changed afterwards). */
export interface EarlierDemandPlan {
  earlier: OrderPlan[];
  ledger: SupplyLedger;
}

/** Plans the snapshot's demand that goes before `probe` (its precedence and placing time), as planAllocation would. */
export function planEarlierDemand(
  snapshot: PlanningSnapshot,
  probe: Pick<OrderDemand, 'orderId' | 'placedAt' | 'priority' | 'flags'>,
): EarlierDemandPlan {
  const ledger = new SupplyLedger(snapshot);
  const network = new Network(snapshot);
  const products = new Map(snapshot.products.map((p) => [p.sku, p]));
  const earlier = snapshot.demand.filter((order) => compareDemand(order, probe) < 0).sort(compareDemand);
  return { earlier: earlier.map((order) => planOrder(order, snapshot, network, ledger, products, new Map())), ledger };
}

/** Each group of probes planned on its own copy of what the earlier demand left (`before` stays as it is). */
export function planProbeGroupsAfter(snapshot: PlanningSnapshot, before: EarlierDemandPlan, groups: OrderDemand[][]): OrderPlan[][] {
  const network = new Network(snapshot);
  const products = new Map(snapshot.products.map((p) => [p.sku, p]));
  return groups.map((group) => {
    const own = before.ledger.clone();
    return [...group].sort(compareDemand).map((order) => planOrder(order, snapshot, network, own, products, new Map()));
  });
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
          kind: AllocationKind.PULL,
          quantity: units,
          warehouseCode: source,
          sourceWarehouseCode: null,
          supplyId: null,
          supplier: null,
          eta: addDays(now, move.days),
          reason: `${units} reserved at ${source}, ${move.days} day${move.days === 1 ? '' : 's'} to ${region}`,
        });
      } else {
        const eta = addDays(now, move.days);
        cover(line, {
          kind: AllocationKind.TRANSFER,
          quantity: units,
          warehouseCode: move.destination,
          sourceWarehouseCode: source,
          supplyId: null,
          supplier: null,
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
      .sort(
        (a, b) =>
          a.eta.getTime() - b.eta.getTime() ||
          a.supply.expectedAt.getTime() - b.supply.expectedAt.getTime() ||
          cmp(a.supply.supplyId, b.supply.supplyId),
      );
    for (const { supply, eta } of inbound) {
      if (left <= 0) break;
      if (dropShipSupplier && dropShipEta < eta) break;
      const units = Math.min(left, supply.left);
      supply.left -= units;
      left -= units;
      cover(line, {
        kind: AllocationKind.WAIT,
        quantity: units,
        warehouseCode: supply.warehouseCode,
        sourceWarehouseCode: null,
        supplyId: supply.supplyId,
        supplier: null,
        eta,
        reason: `${units} wait for ${supply.reference}, expected ${isoDay(supply.expectedAt)} at ${supply.warehouseCode}`,
      });
    }
    if (left <= 0) continue;
    if (dropShipSupplier) {
      parcels.addSupplier(dropShipSupplier);
      cover(line, {
        kind: AllocationKind.DROP_SHIP,
        quantity: left,
        warehouseCode: null,
        sourceWarehouseCode: null,
        supplyId: null,
        supplier: dropShipSupplier,
        eta: dropShipEta,
        reason: `${left} drop-shipped by ${dropShipSupplier} straight to the customer, expected ${isoDay(dropShipEta)}`,
      });
      continue;
    }
    const eta = addDays(now, leadTimeDays + network.shipDays(parcels.primary(ranking.shipping), region));
    unsupplied.set(line.sku, (unsupplied.get(line.sku) ?? 0) + left);
    const why = ledger.inbound(line.sku).length > 0 ? 'every open purchase order is promised to earlier orders' : 'no purchase order is open';
    cover(line, {
      kind: AllocationKind.WAIT,
      quantity: left,
      warehouseCode: null,
      sourceWarehouseCode: null,
      supplyId: null,
      supplier: null,
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

  constructor(
    private readonly network: Network,
    order: OrderDemand,
  ) {
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
