// The one place that reads process.env. Everything else receives a Config.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MB = 1024 * 1024;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/dev.db'),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_LIFETIME_SECONDS: int(60).default(3600),
  JWT_ISSUER: z.string().min(1).default('photo-feed-api'),
  JWT_AUDIENCE: z.string().min(1).default('photo-feed-api:auth'),
  BCRYPT_COST: int(4, 15).default(12),
  UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  PUBLIC_URL: z.url().optional(),
  MAX_UPLOAD_BYTES: int(1).default(100 * MB),
  GRAPHIQL: flag.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function buildConfig(env: z.infer<typeof envSchema>, jwtSecret: string) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    jwt: {
      secret: jwtSecret,
      lifetimeSeconds: env.JWT_LIFETIME_SECONDS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    bcryptCost: env.BCRYPT_COST,
    uploadDir: path.resolve(env.UPLOAD_DIR),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    graphiql: env.GRAPHIQL ?? !production,
    logLevel: env.LOG_LEVEL,
  };
}

/**
 * Validates the environment and returns the config, or throws a ConfigError naming every bad variable.
 * Outside production a missing JWT_SECRET is generated once and kept in DATA_DIR, so tokens survive restarts.
 */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  warn: (message: string) => void = (message) => console.warn(message),
) {
  // An empty variable means "not set", as in most .env tooling.
  const env = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  let secret = values.JWT_SECRET;
  if (!secret) {
    if (values.NODE_ENV === 'production') {
      throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production (at least 32 characters)']);
    }
    secret = persistedDevSecret(path.resolve(values.DATA_DIR), warn);
  }
  return buildConfig(values, secret);
}

function persistedDevSecret(dataDir: string, warn: (message: string) => void): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  warn(`JWT_SECRET is not set: generated one and saved it to ${file}. Set JWT_SECRET in production.`);
  return secret;
}
