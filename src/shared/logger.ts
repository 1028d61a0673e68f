import type { AppConfig } from '../config/config';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Logger = Record<keyof typeof levels, (message: string, fields?: Record<string, unknown>) => void>;

/** One JSON line per message on stderr: enough for a service, no dependency. */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, name: string): Logger {
  const threshold = levels[config.logLevel];
  const log = (level: keyof typeof levels) => (message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < threshold) return;
    process.stderr.write(JSON.stringify({ at: new Date().toISOString(), level, name, message, ...fields }) + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
