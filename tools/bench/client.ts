import http from 'node:http';

/**
 * A lean GraphQL-over-HTTP client for load: node:http with keep-alive sockets and request bodies serialised before
 * the clock starts, so the benchmark's own CPU (it shares the machine's cores with the service) stays small.
 */

export interface GqlResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export class GraphQLClient {
  private readonly url: URL;
  readonly agent: http.Agent;

  constructor(
    url: string,
    private readonly token: string,
    maxSockets: number,
  ) {
    this.url = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends a prepared JSON body; resolves with the HTTP status and the raw response text. */
  post(body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${this.token}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** For set-up: throws on any GraphQL error. */
  async gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { status, text } = await this.post(JSON.stringify({ query, variables }));
    let body: GqlResponse<T>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`HTTP ${status}: ${text.slice(0, 300)}`);
    }
    if (body.errors?.length)
      throw new Error(`GraphQL error: ${body.errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`.trim()).join('; ')}`);
    return body.data as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

const PLACED_ID = /^\{"data":\{"placeOrder":\{"id":"([^"]+)"/;

/** What one placeOrder call came to (and the order id it answered), judged without parsing more than needed. */
export function placeOrderOutcome(status: number, text: string): { ok: boolean; id?: string; error?: string } {
  const fast = status === 200 && !text.includes('"errors"') ? PLACED_ID.exec(text) : null;
  if (fast) return { ok: true, id: fast[1] };
  try {
    const body = JSON.parse(text) as GqlResponse;
    if (body.errors?.length) return { ok: false, error: `${body.errors[0].extensions?.code ?? 'ERROR'}: ${body.errors[0].message}` };
    if (body.data?.placeOrder) return { ok: true, id: body.data.placeOrder.id };
  } catch {
    // not JSON
  }
  return { ok: false, error: `HTTP ${status}: ${text.slice(0, 200)}` };
}
