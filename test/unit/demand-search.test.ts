import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterLookup,
  DEMAND_LOOKUPS,
  type DemandSearch,
  nextDemandStep,
  startDemandSearch,
  type WaitingLineRow,
} from '../../src/allocation/demand-search';

/** A tiny world: orders with their lines' SKUs (and which of those they wait for), and which SKUs have stock free. */
interface World {
  orders: Array<{ id: string; lines: Array<{ sku: string; waits: boolean }> }>;
  free: Set<string>;
}

/** What the lookup query answers: every line of the orders waiting on one of `skus`. */
const waitingLines = (world: World, skus: string[]): WaitingLineRow[] =>
  world.orders
    .filter((o) => o.lines.some((l) => l.waits && skus.includes(l.sku)))
    .flatMap((o) => o.lines.map((l) => ({ order_id: o.id, sku: l.sku, free: world.free.has(l.sku) })));

const linesOf = (world: World, orderIds: string[]) =>
  world.orders.filter((o) => orderIds.includes(o.id)).flatMap((o) => o.lines.map((l) => ({ sku: l.sku, free: world.free.has(l.sku) })));

/** The search run against the world as selectCompetingDemand runs it against the database, with its lookups. */
function search(world: World, request: { orderIds: string[]; skus: string[] }) {
  const lookups: string[][] = [];
  let step = nextDemandStep(startDemandSearch(request, linesOf(world, request.orderIds)));
  while (step.lookUp !== null) {
    lookups.push([...step.lookUp].sort());
    step = nextDemandStep(afterLookup(step.search, step.lookUp, waitingLines(world, step.lookUp)));
  }
  return { result: step.search, lookups };
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the competing-demand search (demand-search.ts)', () => {
  // new: a new order on X and Y. b waits on Y and holds Z; c waits on Z and holds W; d waits on W.
  const chain: World = {
    orders: [
      {
        id: 'new',
        lines: [
          { sku: 'X', waits: false },
          { sku: 'Y', waits: false },
        ],
      },
      {
        id: 'b',
        lines: [
          { sku: 'Y', waits: true },
          { sku: 'Z', waits: false },
        ],
      },
      {
        id: 'c',
        lines: [
          { sku: 'Z', waits: true },
          { sku: 'W', waits: false },
        ],
      },
      { id: 'd', lines: [{ sku: 'W', waits: true }] },
    ],
    free: new Set(['Y', 'Z', 'W']),
  };

  it('follows free SKUs for two lookups: the requested order, the backorders on its free SKUs, theirs on their free SKUs', () => {
    const { result, lookups } = search(chain, { orderIds: ['new'], skus: [] });
    expect(lookups).toEqual([['Y'], ['Z']]);
    expect(sorted(result.orderIds)).toEqual(['b', 'c', 'new']);
    // X has nothing free: judged once, never looked up.
    expect(sorted(result.judgedNothingFree)).toEqual(['X']);
  });

  it('stops after DEMAND_LOOKUPS: a free SKU learnt then is not looked up, nor judged to have nothing free', () => {
    expect(DEMAND_LOOKUPS).toBe(2);
    const { result } = search(chain, { orderIds: ['new'], skus: [] });
    expect(result.orderIds.has('d')).toBe(false);
    expect(result.judgedNothingFree.has('W')).toBe(false);
    expect(sorted(result.toLookUp)).toEqual(['W']);
  });

  it('judges the SKUs of orders found by the last lookup: one with nothing free is left for the stock check', () => {
    const world: World = { ...chain, free: new Set(['Y', 'Z']) };
    const { result } = search(world, { orderIds: ['new'], skus: [] });
    expect(sorted(result.judgedNothingFree)).toEqual(['W', 'X']);
  });

  it('looks up a requested SKU whether or not anything of it is free, and its orders free SKUs next', () => {
    const { result, lookups } = search(chain, { orderIds: [], skus: ['X', 'Z'] });
    // Nobody waits on X; c waits on Z, and its W is free: d.
    expect(lookups).toEqual([['X', 'Z'], ['W']]);
    expect(sorted(result.orderIds)).toEqual(['c', 'd']);
    expect(sorted(result.judgedNothingFree)).toEqual([]);
  });

  it('stops when nothing is left to look up, and with no request at all looks nothing up', () => {
    expect(search(chain, { orderIds: [], skus: [] })).toEqual({ result: expect.objectContaining({ lookups: 0 }), lookups: [] });
    const lonely: World = { orders: [{ id: 'a', lines: [{ sku: 'Q', waits: false }] }], free: new Set() };
    const { result, lookups } = search(lonely, { orderIds: ['a'], skus: [] });
    expect(lookups).toEqual([]);
    expect(sorted(result.judgedNothingFree)).toEqual(['Q']);
  });

  it('answers without changing the search it was given', () => {
    const start: DemandSearch = startDemandSearch({ orderIds: ['new'], skus: [] }, linesOf(chain, ['new']));
    const copy = structuredClone(start);
    const step = nextDemandStep(start);
    afterLookup(step.search, step.lookUp ?? [], waitingLines(chain, step.lookUp ?? []));
    expect(start).toEqual(copy);
  });

  const SKUS = ['A', 'B', 'C', 'D', 'E', 'F'];
  const worlds = fc.record({
    orders: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'),
        lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), waits: fc.boolean() }), {
          minLength: 1,
          maxLength: 3,
          selector: (l) => l.sku,
        }),
      }),
      { maxLength: 8, selector: (o) => o.id },
    ),
    free: fc.subarray(SKUS).map((s) => new Set(s)),
  });
  const requests = fc.record({ orderIds: fc.subarray(['o1', 'o2', 'o3']), skus: fc.subarray(SKUS, { maxLength: 2 }) });

  it('finds exactly the orders of a breadth-first search two levels deep over free SKUs (property)', () => {
    fc.assert(
      fc.property(worlds, requests, (world, request) => {
        const known = new Set(request.orderIds.filter((id) => world.orders.some((o) => o.id === id)));
        const skusOf = (ids: Set<string>) => new Set(world.orders.filter((o) => ids.has(o.id)).flatMap((o) => o.lines.map((l) => l.sku)));
        const waitingOn = (skus: Set<string>) => new Set(waitingLines(world, [...skus]).map((r) => r.order_id));
        const level0 = new Set([...request.skus, ...[...skusOf(known)].filter((s) => world.free.has(s))]);
        const found1 = waitingOn(level0);
        const level1 = new Set([...skusOf(found1)].filter((s) => world.free.has(s) && !level0.has(s)));
        const found2 = level1.size > 0 ? waitingOn(level1) : new Set<string>();
        const expected = new Set([...request.orderIds, ...found1, ...found2]);

        const { result, lookups } = search(world, request);
        expect(sorted(result.orderIds)).toEqual(sorted(expected));
        expect(lookups.length).toBeLessThanOrEqual(DEMAND_LOOKUPS);
        // No SKU is looked up twice; a SKU judged to have nothing free has none and is never looked up.
        expect(new Set(lookups.flat()).size).toBe(lookups.flat().length);
        for (const sku of result.judgedNothingFree) {
          expect(world.free.has(sku)).toBe(false);
          expect(lookups.flat()).not.toContain(sku);
        }
        // Every SKU of an order found is looked up, judged, or free and beyond the last lookup.
        for (const sku of skusOf(result.orderIds as Set<string>)) {
          expect(result.lookedUp.has(sku) || result.judgedNothingFree.has(sku) || (world.free.has(sku) && result.toLookUp.has(sku))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
