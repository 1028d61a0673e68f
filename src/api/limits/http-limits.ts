import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GENERIC_ERROR_MESSAGE } from '../errors';
import type { Logger } from '../../shared/logger';
import { limitErrorBody } from './limit-error';
import { tokenLimitError } from './query-limits';

/**
 * Batched requests (a JSON array body) are refused: one request, one operation, so every limit holds per request.
 * Apollo would refuse them too (allowBatchedHttpRequests is off), but with a 400 that names no limit.
 */
export function refuseBatches(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!Array.isArray(req.body)) return next();
    res.status(400).json(limitErrorBody('BATCHING_DISABLED', 'Batched requests are not accepted: send one operation per request'));
  };
}

/** Refuses a document with more than maxQueryTokens tokens before Apollo parses it (POST body or GET query string). */
export function refuseLongDocuments(maxTokens: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = req.method === 'GET' ? req.query?.query : (req.body as { query?: unknown } | undefined)?.query;
    const refused = tokenLimitError(query, maxTokens);
    if (!refused) return next();
    res.status(400).json({ errors: [refused.toJSON()] });
  };
}

/** What an error body-parser or express raised looks like (http-errors). */
interface HttpError {
  status?: unknown;
  type?: unknown;
}

function clientErrorBody(error: HttpError, maxRequestBytes: number) {
  switch (error.type) {
    case 'entity.too.large':
      return limitErrorBody(
        'MAX_REQUEST_BYTES',
        `The request body is larger than ${maxRequestBytes} bytes, the limit (maxRequestBytes)`,
        maxRequestBytes,
      );
    case 'entity.parse.failed':
      return { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        errors: [{ message: 'The request body must be UTF-8 JSON, without an unsupported content-encoding', extensions: { code: 'BAD_USER_INPUT' } }],
      };
    default:
      return { errors: [{ message: 'The request could not be read', extensions: { code: 'BAD_USER_INPUT' } }] };
  }
}

/**
 * The last error handler: an error that never reached GraphQL (a body too large or not JSON, or anything thrown
 * by a route) answers in GraphQL's error shape, with no message, stack or SQL of an unexpected error.
 */
export function graphqlShapedErrors(logger: Logger, maxRequestBytes: number) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const raw = (error as HttpError | undefined)?.status;
    const status = typeof raw === 'number' && raw >= 400 && raw < 600 ? raw : 500;
    if (status < 500) {
      res.status(status).json(clientErrorBody(error as HttpError, maxRequestBytes));
      return;
    }
    logger.error('request failed outside GraphQL', { error: error instanceof Error ? error.message : String(error) });
    res.status(500).json({ errors: [{ message: GENERIC_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
