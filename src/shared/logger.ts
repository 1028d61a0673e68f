import pino, { DestinationStream } from 'pino';
import type { AppConfig } from '../config/config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<LogLevel, (message: string, fields?: Record<string, unknown>) => void>;

export interface LoggerOptions {
  /** Where the JSON lines go; stderr unless a test captures them. */
  destination?: DestinationStream;
}

let stderr: DestinationStream | undefined;
/** Synchronous, so a line written just before process.exit() is not lost. */
const standardError = () => (stderr ??= pino.destination({ dest: 2, sync: true }));

/**
 * pino behind a small interface: one JSON line per message, `{"level":"info","at":"…","name":"api","pid":1,…fields,"message":"…"}`.
 * `name` says which part of the service wrote it (api, worker, start-all, …).
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, name: string, options: LoggerOptions = {}): Logger {
  const log = pino(
    {
      level: config.logLevel,
      base: { name, pid: process.pid },
      messageKey: 'message',
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? standardError(),
  );
  const method = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    fields ? log[level](fields, message) : log[level](message);
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** For the moment before the configuration is known (it may be what failed): info level. */
export function bootstrapLogger(name: string): Logger {
  return createLogger({ logLevel: 'info' }, name);
}

/** An error as log fields: its message, and its stack for unexpected errors. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}
