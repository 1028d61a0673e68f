import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered, or null if the request never got an answer (it hung, then was dropped). */
  answered: number | null;
}

/** What the receiver does with a request to one path: answer a status, or hold it without ever answering. */
export type ReceiverBehaviour = { status: number; text?: string } | 'hang';

/**
 * A real HTTP receiver on a free port for webhook tests. Each path behaves as set with `behave` (default 200);
 * every request is kept, with the answer it got.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly behaviours = new Map<string, ReceiverBehaviour>();
  private readonly held = new Set<http.ServerResponse>();
  private server: http.Server | null = null;
  port = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  behave(path: string, behaviour: ReceiverBehaviour): void {
    this.behaviours.set(path, behaviour);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Answered 2xx, per event id: what a receiver counts as delivered. */
  acceptedEventIds(path: string): string[] {
    return this.at(path)
      .filter((r) => r.answered !== null && r.answered < 300)
      .map((r) => String(r.headers['x-oms-event-id']));
  }

  async listen(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const record: ReceivedWebhook = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: null };
        this.received.push(record);
        const behaviour = this.behaviours.get(path) ?? { status: 200 };
        if (behaviour === 'hang') {
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        }
        record.answered = behaviour.status;
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.text ?? 'ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening (the port refuses connections until `listen` again); held requests are dropped. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const res of this.held) res.destroy();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
