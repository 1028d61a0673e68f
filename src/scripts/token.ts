import { Principal, Role } from '../auth/roles';
import { signToken } from '../auth/token';
import { AppConfig, ConfigError, loadConfig } from '../config/config';

/**
 * `npm run token -- --role <role> [--customer <id>] [--ttl <seconds>] [--subject <name>]`: prints a bearer token
 * signed with AUTH_SECRET, carrying AUTH_ISSUER and AUTH_AUDIENCE as `iss` and `aud` when they are set. Exit code 2
 * on a usage error.
 */
export const TOKEN_USAGE = `usage: npm run token -- --role <${Object.values(Role).join('|')}> [--customer <id>] [--ttl <seconds>] [--subject <name>]`;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const usageError = (message: string): CliResult => ({ exitCode: 2, stdout: '', stderr: `${message}\n${TOKEN_USAGE}\n` });

export async function runTokenCli(argv: string[], env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<CliResult> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { exitCode: 0, stdout: `${TOKEN_USAGE}\n`, stderr: '' };
    const match = /^--(role|customer|ttl|subject)(?:=(.*))?$/.exec(arg);
    if (!match) return usageError(`unknown argument: ${arg}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') return usageError(`--${match[1]} needs a value`);
    options.set(match[1], value);
  }
  const role = options.get('role') as Role | undefined;
  if (!role) return usageError('--role is required');
  if (!Object.values(Role).includes(role)) return usageError(`unknown role: ${role}`);
  const customerId = options.get('customer');
  if (role === Role.CUSTOMER && !customerId) return usageError('the customer role needs --customer <id>');
  if (role !== Role.CUSTOMER && customerId) return usageError('--customer is for the customer role only');
  const ttlText = options.get('ttl');
  const ttl = ttlText === undefined ? undefined : Number(ttlText);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) return usageError('--ttl must be a positive whole number of seconds');

  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return { exitCode: 1, stdout: '', stderr: `${error.message}\n` };
    throw error;
  }
  const principal: Principal = { role, customerId, subject: options.get('subject') ?? (customerId ? `customer:${customerId}` : `cli:${role}`) };
  return { exitCode: 0, stdout: `${await signToken(principal, config, { ttlSeconds: ttl, now })}\n`, stderr: '' };
}

if (require.main === module) {
  void runTokenCli(process.argv.slice(2)).then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });
}
