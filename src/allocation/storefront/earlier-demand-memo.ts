import { EarlierDemandPlan, planEarlierDemand } from '../plan-allocation';
import { Network, Precedence } from '../planner/planning-world';
import type { PlanningSnapshot } from '../planning.types';

const DAY_MS = 86_400_000;

/**
 * The plan of the open demand that goes before a cart, remembered for one set of snapshot rows (the memo belongs to
 * them: other rows, another memo) and taken again while `now` stays inside the window where no decision of that
 * plan can turn out otherwise. Only what the earlier demand takes is used from it (the ledger it leaves, its covers'
 * quantities and warehouses), never its dates.
 */
export class EarlierDemandMemo {
  private readonly byRegion = new Map<string, { plan: EarlierDemandPlan; from: number; until: number }>();

  planFor(world: PlanningSnapshot, region: string, probe: Precedence): EarlierDemandPlan {
    const now = world.now.getTime();
    const held = this.byRegion.get(region);
    if (held && held.from < now && now < held.until) return held.plan;
    const plan = planEarlierDemand(world, probe);
    const window = unchangedPlanWindow(world);
    if (window) this.byRegion.set(region, { plan, ...window });
    return plan;
  }
}

/**
 * The open interval of instants around `snapshot.now` in which planning the snapshot's demand before a probe placed
 * at that instant takes the same units from the same places. `now` enters those decisions only through lines of
 * the form `now + c` compared with fixed instants: which orders were placed before the probe, an inbound purchase
 * order counted from now once it is late (`max(expectedAt, now)`), late ones against punctual ones, and drop ship
 * (`now + lead time`) against a punctual one. Each comparison can only turn at one instant, listed here; between two
 * neighbours nothing turns. Null when `now` is itself one of them.
 */
export function unchangedPlanWindow(snapshot: PlanningSnapshot): { from: number; until: number } | null {
  const now = snapshot.now.getTime();
  const turns: number[] = snapshot.demand.map((order) => order.placedAt.getTime());
  const network = new Network(snapshot);
  const regions = [...new Set(snapshot.demand.map((order) => order.shipToRegion))];
  const leadDays = new Map(snapshot.products.map((p) => [p.sku, p.leadTimeDays ?? 0]));
  const inboundBySku = new Map<string, Array<{ expectedAt: number; warehouseCode: string }>>();
  for (const supply of snapshot.inbound) {
    const list = inboundBySku.get(supply.sku) ?? [];
    list.push({ expectedAt: supply.expectedAt.getTime(), warehouseCode: supply.warehouseCode });
    inboundBySku.set(supply.sku, list);
  }
  for (const [sku, supplies] of inboundBySku) {
    const lead = leadDays.get(sku) ?? 0;
    for (const supply of supplies) turns.push(supply.expectedAt);
    for (const region of regions) {
      const days = supplies.map((s) => network.shipDays(s.warehouseCode, region));
      supplies.forEach((punctual, j) => {
        turns.push(punctual.expectedAt + (days[j] - lead) * DAY_MS);
        supplies.forEach((_late, i) => turns.push(punctual.expectedAt + (days[j] - days[i]) * DAY_MS));
      });
    }
  }
  let from = -Infinity;
  let until = Infinity;
  for (const turn of turns) {
    if (turn === now) return null;
    if (turn < now) from = Math.max(from, turn);
    else until = Math.min(until, turn);
  }
  return { from, until };
}
