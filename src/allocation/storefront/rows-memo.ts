import type { PlanningSnapshot } from '../planning.types';
import type { EarlierDemandMemo } from './earlier-demand-memo';

/** One storefront statement's rows, parsed: everything but the instant they are asked at. */
export interface ParsedRows {
  world: Omit<PlanningSnapshot, 'now'>;
  knownSkus: Set<string>;
  noBackorderSkus: Set<string>;
  earlierDemand: EarlierDemandMemo;
}

/**
 * The rows of the storefront statement, parsed, by their exact text (and the reference data version): a request
 * whose statement returns the rows of an earlier one reuses them, and with them the plan of the demand before the
 * cart. Any change to stock, supply, products or open demand changes the text, so the next request misses at once;
 * there is nothing to invalidate. The least recently used go beyond `capacity` (0: nothing is kept).
 */
export class StorefrontRowsMemo {
  private readonly entries = new Map<string, ParsedRows>();

  constructor(private readonly capacity = 256) {}

  rowsOf(key: string, parse: () => ParsedRows): ParsedRows {
    const held = this.entries.get(key);
    if (held) {
      this.entries.delete(key);
      this.entries.set(key, held);
      return held;
    }
    const parsed = parse();
    if (this.capacity === 0) return parsed;
    this.entries.set(key, parsed);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return parsed;
  }

  get size(): number {
    return this.entries.size;
  }
}
