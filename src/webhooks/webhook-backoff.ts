export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait after the `failedAttempts`-th failure: `baseMs` doubled per earlier failure, capped at `maxMs`, with
 * "equal jitter" (between half and all of it), so receivers coming back are not hit by every sender at once.
 */
export function backoffDelayMs(failedAttempts: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 40));
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export type FailureOutcome = { status: 'PENDING'; retryInMs: number } | { status: 'FAILED' };

/** After a failed attempt: try again later, or give up once `maxAttempts` attempts were made. */
export function afterFailedAttempt(attempts: number, maxAttempts: number, settings: BackoffSettings, random?: () => number): FailureOutcome {
  if (attempts >= maxAttempts) return { status: 'FAILED' };
  return { status: 'PENDING', retryInMs: backoffDelayMs(attempts, settings, random) };
}
