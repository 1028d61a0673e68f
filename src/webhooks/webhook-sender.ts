import http from 'node:http';
import https from 'node:https';
import { literalPrivateHost, publicOnlyLookup } from './webhook-url';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookResponse {
  /** A 2xx answer arrived in time. */
  ok: boolean;
  httpStatus: number | null;
  /** Why it did not count as delivered, for the delivery log. */
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the attempt (a worker that stops at once). */
  signal?: AbortSignal;
}

const MAX_ERROR_BODY = 300;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * POSTs one webhook. The whole attempt (connect, send, answer) must finish within `timeoutMs`; redirects are not
 * followed; only the first few hundred bytes of an error answer are kept, for the log.
 */
export function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<WebhookResponse> {
  const url = new URL(request.url);
  const blocked = options.allowPrivate ? null : literalPrivateHost(url);
  if (blocked)
    return Promise.resolve({ ok: false, httpStatus: null, error: `refused: ${blocked} is a private address (WEBHOOK_ALLOW_PRIVATE is off)` });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    const req = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'backorder-oms-webhooks/1',
        ...request.headers,
      },
      signal: options.signal,
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    const timer = setTimeout(() => {
      finish({ ok: false, httpStatus: null, error: `timed out after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error) =>
      finish({ ok: false, httpStatus: null, error: options.signal?.aborted ? 'aborted: the worker stopped' : error.message }),
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_ERROR_BODY) text += chunk;
      });
      res.on('error', (error) => finish({ ok: false, httpStatus: status, error: error.message }));
      res.on('end', () => {
        if (status >= 200 && status < 300) return finish({ ok: true, httpStatus: status, error: null });
        const answer = text.slice(0, MAX_ERROR_BODY).replace(CONTROL_CHARACTERS, ' ').trim();
        finish({ ok: false, httpStatus: status, error: `HTTP ${status}${answer ? `: ${answer}` : ''}` });
      });
    });
    req.end(request.body);
  });
}
