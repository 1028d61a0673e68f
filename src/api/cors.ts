import type { NextFunction, Request, RequestHandler, Response } from 'express';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** The Access-Control-Allow-Origin to answer `origin` with, or undefined when it is not allowed. Pure. */
export function allowedOrigin(origins: readonly string[], origin: string | undefined): string | undefined {
  if (origins.length === 0) return undefined;
  if (origins.includes('*')) return '*';
  return origin && origins.includes(origin) ? origin : undefined;
}

/**
 * CORS for browser storefronts (config.corsOrigins): none listed sends no CORS headers at all; `*` allows any
 * origin; otherwise only the listed origins. Tokens travel in the Authorization header, never cookies, so no
 * credentials are allowed. Preflights (OPTIONS) are answered here with 204.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (origins.length === 0) return next();
    if (!origins.includes('*')) res.vary('Origin');
    const allowed = allowedOrigin(origins, req.headers.origin);
    if (allowed) res.setHeader('Access-Control-Allow-Origin', allowed);
    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) return next();
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    }
    res.status(204).end();
  };
}
