import type { Pool } from 'pg';
import { isTransientConnectionError } from '../db/connection-retry';
import type { FulfilmentPolicy } from './order.enums';
import { PlacedOrder, PlacementResult, writePlacements } from './place-order';
import type { PreparedPlacement } from './place-orders-statement';

export interface PlacementGroupOptions {
  /** How long the first order of a group waits for others to join it. */
  windowMs: number;
  /** Most orders in one group (one statement). */
  maxOrders: number;
  /** Groups being written at once; the next group gathers while they run. */
  maxInFlight?: number;
}

interface Waiting {
  prepared: PreparedPlacement;
  arrivedAt: number;
  resolve(placed: PlacedOrder): void;
  reject(error: unknown): void;
}

/**
 * Group commit for placeOrder: the orders that arrive within a few milliseconds are written by one statement, in
 * one transaction with one commit, and each caller gets its own answer or its own error. A caller is answered only
 * after the commit, and a group is one statement, so an order is either committed whole or absent. Two orders with
 * the same idempotency key are never in flight at once here: the later waits for the next group and then finds the
 * first (a retry gets that order, another body a CONFLICT), exactly as if it had come later. When a group's
 * statement fails for a reason other than an unreachable database, each of its orders is tried alone, so an order
 * that breaks the statement fails by itself.
 */
export class PlacementGroups {
  private pending: Waiting[] = [];
  private inFlight = 0;
  private readonly keysInFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly maxInFlight: number;

  constructor(
    private readonly pool: Pool,
    private readonly defaultPolicy: () => Promise<FulfilmentPolicy>,
    private readonly options: PlacementGroupOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  place(prepared: PreparedPlacement): Promise<PlacedOrder> {
    return new Promise((resolve, reject) => {
      this.pending.push({ prepared, arrivedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Starts a group when one is full, or arms the timer that starts it when its first order has waited the window. */
  private schedule(): void {
    if (this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    if (this.pending.length >= this.options.maxOrders) {
      this.startGroup();
      return;
    }
    if (this.timer) return;
    const waited = performance.now() - this.pending[0].arrivedAt;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.startGroup();
      },
      Math.max(0, this.options.windowMs - waited),
    );
  }

  private startGroup(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const group = this.takeGroup();
    if (group.length === 0) return; // every waiting key is in flight: the group that holds it schedules again
    const keys = group.map((w) => w.prepared.command.idempotencyKey);
    keys.forEach((key) => this.keysInFlight.add(key));
    this.inFlight += 1;
    void this.write(group).finally(() => {
      this.inFlight -= 1;
      keys.forEach((key) => this.keysInFlight.delete(key));
      this.schedule();
    });
    this.schedule();
  }

  /** The oldest waiting orders, one per idempotency key and none whose key is in flight; the rest keep their place. */
  private takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const keys = new Set<string>();
    const left: Waiting[] = [];
    for (const waiting of this.pending) {
      const key = waiting.prepared.command.idempotencyKey;
      if (group.length < this.options.maxOrders && !keys.has(key) && !this.keysInFlight.has(key)) {
        group.push(waiting);
        keys.add(key);
      } else {
        left.push(waiting);
      }
    }
    this.pending = left;
    return group;
  }

  private async write(group: Waiting[]): Promise<void> {
    let results: PlacementResult[];
    try {
      results = await writePlacements(
        this.pool,
        group.map((w) => w.prepared),
        await this.defaultPolicy(),
      );
    } catch (error) {
      // Nothing of the group was written (one statement). An unreachable database fails every order alike.
      if (group.length === 1 || isTransientConnectionError(error)) group.forEach((w) => w.reject(error));
      else await Promise.all(group.map((w) => this.write([w])));
      return;
    }
    group.forEach((waiting, i) => {
      const result = results[i];
      if (result.ok) waiting.resolve(result.placed);
      else waiting.reject(result.error);
    });
  }
}
