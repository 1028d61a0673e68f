import type { Acknowledged } from '../shared/invariants';
import { Known, nextOperation, rng } from './operations';

/**
 * Sends `operations` random operations to a running API and tallies the answers by error code. The one answer
 * that is never acceptable is INTERNAL_SERVER_ERROR (or a 5xx, or something that is not a GraphQL response);
 * each is kept as a finding with the operation that caused it. Orders that were answered are returned for the
 * invariants, with every id their key was answered with.
 */

export interface FuzzOptions {
  url: string;
  token: string;
  seed: number;
  operations: number;
  /** Called after every `checkEvery` operations with the ones sent since; returning false stops the run (bisecting a broken invariant). */
  checkEvery?: number;
  check?: (recent: string[]) => Promise<boolean>;
}

export interface Finding {
  operation: string;
  variables: Record<string, unknown>;
  answer: string;
}

export interface FuzzResult {
  seed: number;
  sent: number;
  outcomes: Record<string, number>;
  findings: Finding[];
  acknowledged: Acknowledged[];
}

async function send(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; text: string; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    // judged below
  }
  return { status: response.status, text, body };
}

/** A code for the tally; null when the answer is a fault of the service. */
function judge({ status, body }: { status: number; body: any }): string | null {
  if (status >= 500 || !body || (body.data === undefined && !body.errors)) return null;
  const codes: string[] = (body.errors ?? []).map((e: any) => e.extensions?.code ?? 'NO_CODE');
  if (codes.includes('INTERNAL_SERVER_ERROR') || codes.includes('NO_CODE')) return null;
  return codes[0] ?? 'OK';
}

export async function fuzz({ url, token, seed, operations, checkEvery = 0, check }: FuzzOptions): Promise<FuzzResult> {
  let recent: string[] = [];
  const r = rng(seed);
  const known: Known = { warehouses: [], skus: [], orders: [], purchaseOrders: [], shipments: [], transfers: [] };
  const result: FuzzResult = { seed, sent: 0, outcomes: {}, findings: [], acknowledged: [] };
  const acknowledged = new Map<string, Acknowledged>();

  const run = async (name: string, query: string, variables: Record<string, unknown>) => {
    result.sent++;
    if (check) recent.push(`${name} ${JSON.stringify(variables)}`);
    const answer = await send(url, token, query, variables);
    const code = judge(answer);
    if (code === null) result.findings.push({ operation: name, variables, answer: answer.text.slice(0, 500) });
    else result.outcomes[`${name} ${code}`] = (result.outcomes[`${name} ${code}`] ?? 0) + 1;
    return { data: code === 'OK' ? answer.body.data : null, code };
  };

  // A small world to aim at: two warehouses with a transfer lane, three products, some stock.
  for (const code of ['FZ-A', 'FZ-B']) {
    await run('seed', `mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`, {
      input: {
        code,
        name: code,
        region: code === 'FZ-A' ? 'EU' : 'US',
        shippingLanes: [
          { region: 'EU', days: 2, cost: 3 },
          { region: 'US', days: 4, cost: 6 },
        ],
      },
    });
    known.warehouses.push(code);
  }
  await run('seed', `mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`, {
    input: { code: 'FZ-B', name: 'FZ-B', region: 'US', transferLanes: [{ toWarehouseCode: 'FZ-A', days: 1, cost: 1 }] },
  });
  for (const sku of ['FZ-1', 'FZ-2', 'FZ-3']) {
    await run('seed', `mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }`, {
      input: { sku, name: sku, leadTimeDays: 9, supplier: 'Fuzz Supplies' },
    });
    await run('seed', `mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand } }`, {
      input: { sku, warehouseCode: sku === 'FZ-2' ? 'FZ-A' : 'FZ-B', delta: 15, reason: 'seed' },
    });
    known.skus.push(sku);
  }

  for (let i = 0; i < operations; i++) {
    if (check && checkEvery > 0 && i > 0 && i % checkEvery === 0) {
      if (!(await check(recent))) break;
      recent = [];
    }
    const op = nextOperation(r, known, i);
    if (op.retry) {
      // A client that retries at once, and one that retries after its first answer was lost.
      const answers = await Promise.all([run(op.name, op.query, op.variables), run(op.name, op.query, op.variables)]);
      answers.push(await run(op.name, op.query, op.variables));
      const answered = answers.filter((a) => a.data);
      if (answered.length) {
        const key = (op.variables.input as { idempotencyKey: string }).idempotencyKey;
        acknowledged.set(key, { key, ids: new Set(answered.map((a) => a.data.placeOrder.id as string)) });
        op.learn?.(answered[0].data, known);
      }
      // The same request three times must get the same kind of answer: a retry is never refused for its own order.
      const codes = new Set(answers.map((a) => a.code));
      if (codes.size > 1)
        result.findings.push({
          operation: `${op.name} retried`,
          variables: op.variables,
          answer: `answers differ: ${answers.map((a) => a.code).join(', ')}`,
        });
      continue;
    }
    const { data } = await run(op.name, op.query, op.variables);
    if (data) op.learn?.(data, known);
  }
  result.acknowledged = [...acknowledged.values()];
  return result;
}

export function formatResult(result: FuzzResult): string {
  const lines = [`fuzz: seed ${result.seed}, ${result.sent} requests, ${result.findings.length} INTERNAL_SERVER_ERROR (or 5xx)`];
  const tally = Object.entries(result.outcomes).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`  answers (operation code ×count): ${tally.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const f of result.findings.slice(0, 20))
    lines.push(`  FINDING ${f.operation} ${JSON.stringify(f.variables).slice(0, 300)}\n    → ${f.answer.slice(0, 300)}`);
  return lines.join('\n');
}
