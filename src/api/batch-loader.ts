/**
 * A per-request batching cache in the spirit of DataLoader: every `load` made while one GraphQL level resolves is
 * collected and answered by one `batch` call. Keys are compared with `===`; results are cached for the request.
 */
export class BatchLoader<K, V> {
  private readonly cache = new Map<K, Promise<V>>();
  private pending: Array<{ key: K; resolve: (value: V) => void; reject: (error: unknown) => void }> = [];

  constructor(
    private readonly batch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly whenMissing: (key: K) => V,
  ) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      // setImmediate runs after every promise continuation of the current GraphQL level has queued its keys.
      if (this.pending.length === 1) setImmediate(() => void this.dispatch());
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async dispatch(): Promise<void> {
    const requests = this.pending;
    this.pending = [];
    try {
      const results = await this.batch([...new Set(requests.map((r) => r.key))]);
      for (const request of requests) request.resolve(results.has(request.key) ? results.get(request.key)! : this.whenMissing(request.key));
    } catch (error) {
      for (const request of requests) {
        this.cache.delete(request.key);
        request.reject(error);
      }
    }
  }
}

/** Groups rows into a map of lists by a key, for one-to-many batches. */
export function groupBy<T, K>(rows: T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
