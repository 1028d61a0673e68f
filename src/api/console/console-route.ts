import express, { Express, NextFunction, Request, Response } from 'express';
import path from 'node:path';

export const CONSOLE_PATH = '/console';

/** Static files next to this module: in src/ under development and tests, in dist/ once `npm run build` copied them. */
export const CONSOLE_ASSETS = path.join(__dirname, 'public');

/** A Host header we are willing to repeat in a header: a name or IP literal and an optional port, nothing else. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * Only this origin: scripts, styles and requests to 'self', plus the websocket origin of the same host (older
 * browsers do not count ws: as 'self'). No inline script or style, no frames, no plugins.
 */
export function consoleContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${sockets}`,
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', consoleContentSecurityPolicy(req.headers.host));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  // Small files, changed with every release: always revalidate (ETags keep it cheap).
  res.setHeader('Cache-Control', 'no-cache');
  next();
}

/** The customer-service console: GET /console (redirected to /console/) and its scripts and styles. */
export function mountConsole(app: Express): void {
  app.use(CONSOLE_PATH, securityHeaders, express.static(CONSOLE_ASSETS, { index: 'index.html', dotfiles: 'ignore' }));
}
