/** The stock the plan counted on has moved since the snapshot: plan again. */
export class StockMovedError extends Error {
  constructor(readonly keys: string[]) {
    super(`stock moved under the plan for ${keys.length} stock level(s)`);
  }
}
