// Pure helpers of the console page: no DOM, no network (unit-tested in test/unit/console-format.test.ts).

/** 2026-12-03, in UTC like the API's dates; an em dash when there is none. */
export function formatDate(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toISOString().slice(0, 10);
}

/** 2026-12-03 14:05 UTC */
export function formatDateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long ago: "40 s", "12 min", "5 h", "3 d". */
export function formatAge(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** The filter form's values as a BackorderFilter: trimmed, empty ones left out. */
export function backorderFilter(values) {
  const filter = {};
  for (const key of ['sku', 'customerId', 'priority', 'channel']) {
    const value = typeof values[key] === 'string' ? values[key].trim() : '';
    if (value) filter[key] = value;
  }
  return filter;
}

/** A CONFLICT that names versions: someone else changed the order since the agent loaded it. */
export function versionConflict(error) {
  const details = error && error.code === 'CONFLICT' ? error.details : undefined;
  return details && Number.isInteger(details.currentVersion) ? details : null;
}

/** What the page says about a failed request. */
export function describeError(error, orderNumber) {
  const conflict = versionConflict(error);
  if (conflict) {
    return (
      `Someone else changed ${orderNumber ?? 'this order'} since you loaded it: you had version ${conflict.expectedVersion}, ` +
      `it is now version ${conflict.currentVersion}. Nothing was changed. Reload the order and try again.`
    );
  }
  if (!error || !error.code) return `The request failed: ${error && error.message ? error.message : 'unknown error'}`;
  if (error.code === 'NETWORK') return `Cannot reach the API: ${error.message}`;
  if (error.code === 'FORBIDDEN') return `Not allowed for this token: ${error.message}`;
  return `${error.message} (${error.code})`;
}

/**
 * Runs `task` at most once per `delayMs` however often it is asked for, never twice at once: a request made while
 * it runs schedules one more run afterwards. Live events come in bursts (one order placed is several events).
 */
export function coalesce(task, delayMs, timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) }) {
  let timer = null;
  let running = false;
  let again = false;
  const run = async () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (again) {
        again = false;
        request();
      }
    }
  };
  function request() {
    if (timer === null) timer = timers.setTimeout(run, delayMs);
  }
  request.cancel = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    again = false;
  };
  return request;
}

const SUPPLY_NAMES = { PURCHASE_ORDER: 'a purchase order', TRANSFER: 'a transfer', DROP_SHIP: 'drop ship', LEAD_TIME: 'supplier lead time' };

/** What a backorder waits for, one part per supply: "12 on PO-7 by 12 Dec, #2 (5 ahead); 18 on supplier lead time …". */
export function formatSupply(supply) {
  if (!supply || supply.length === 0) return '—';
  return supply
    .map((s) => {
      const what = s.purchaseOrder?.number ?? s.transfer?.number ?? SUPPLY_NAMES[s.kind] ?? s.kind;
      const eta = s.eta ? ` by ${formatDate(s.eta)}` : '';
      return `${s.quantity} on ${what}${eta}, #${s.queuePosition} (${s.unitsAhead} ahead)`;
    })
    .join('; ');
}
