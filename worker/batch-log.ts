import type { BatchReport } from '../src/allocation/batch-report';

const round = (ms: number) => Math.round(ms * 10) / 10;

/** One log line per allocation batch that took work: size, duration, phases and outcome. */
export function batchLogLine(report: BatchReport): { level: 'info' | 'error'; message: string; fields: Record<string, unknown> } {
  return {
    level: report.outcome === 'ok' ? 'info' : 'error',
    message: report.outcome === 'ok' ? 'allocation batch' : 'allocation batch failed',
    fields: {
      outcome: report.outcome,
      requests: report.requests,
      orders: report.orders,
      allocatedOrders: report.allocationLagsMs.length,
      durationMs: round(report.durationMs),
      loadMs: round(report.phasesMs.load),
      planMs: round(report.phasesMs.plan),
      applyMs: round(report.phasesMs.apply),
      replans: report.replans,
      ...(report.error ? { error: report.error.slice(0, 2000) } : {}),
    },
  };
}
