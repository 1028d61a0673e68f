import { precedenceRank } from '../../orders/order-precedence';
import type { InboundSupply, OrderDemand, PlanningSnapshot, WarehouseNode } from '../planning.types';

/** Who goes first: higher precedence (src/orders/order-precedence.ts), then the oldest, then the id. */
export type Precedence = Pick<OrderDemand, 'orderId' | 'placedAt' | 'priority' | 'flags'>;

export function compareDemand(a: Precedence, b: Precedence): number {
  return precedenceRank(b) - precedenceRank(a) || a.placedAt.getTime() - b.placedAt.getTime() || cmp(a.orderId, b.orderId);
}

/** Working state of one planning run: what is left to promise as the plan takes it. */
/** An inbound supply with what is left of it to promise. */
type SupplyLeft = InboundSupply & { left: number };

export class SupplyLedger {
  // Not readonly: clone() gives its copy maps of its own.
  private available = new Map<string, number>();
  private inboundBySku = new Map<string, SupplyLeft[]>();

  constructor(snapshot: PlanningSnapshot) {
    for (const position of snapshot.stock) {
      this.available.set(stockKeyOf(position.sku, position.warehouseCode), Math.max(0, position.available));
    }
    const inbound = [...snapshot.inbound].sort((a, b) => a.expectedAt.getTime() - b.expectedAt.getTime() || cmp(a.supplyId, b.supplyId));
    for (const supply of inbound) {
      const list = this.inboundBySku.get(supply.sku) ?? [];
      list.push({ ...supply, left: Math.max(0, supply.unpromisedQuantity) });
      this.inboundBySku.set(supply.sku, list);
    }
  }

  /** An independent copy of what is left, to plan alternatives from one point without re-planning what came before. */
  clone(): SupplyLedger {
    const copy: SupplyLedger = Object.create(SupplyLedger.prototype);
    copy.available = new Map(this.available);
    copy.inboundBySku = new Map([...this.inboundBySku].map(([sku, list]) => [sku, list.map((supply) => ({ ...supply }))]));
    return copy;
  }

  availableAt(sku: string, warehouseCode: string): number {
    return this.available.get(stockKeyOf(sku, warehouseCode)) ?? 0;
  }

  take(sku: string, warehouseCode: string, quantity: number): void {
    const left = this.availableAt(sku, warehouseCode) - quantity;
    if (left < 0) throw new Error(`planner bug: took ${quantity} of ${sku} at ${warehouseCode} beyond what is there`);
    this.available.set(stockKeyOf(sku, warehouseCode), left);
  }

  totalAvailable(sku: string): number {
    let total = 0;
    for (const [k, units] of this.available) if (k.startsWith(`${sku}\u0000`)) total += units;
    return total;
  }

  inbound(sku: string): SupplyLeft[] {
    return this.inboundBySku.get(sku) ?? [];
  }
}

const stockKeyOf = (sku: string, warehouseCode: string) => `${sku}\u0000${warehouseCode}`;
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lanes and rankings of the network, fixed for one run. */
export class Network {
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
