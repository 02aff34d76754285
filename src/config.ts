// The one place that reads process.env. Everything else receives a Config.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MB = 1024 * 1024;
const DAY = 86_400;

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/dev.db'),
  DATABASE_POOL_SIZE: int(1, 1000).default(10),
  DATABASE_TIMEOUT_MS: int(100, 600_000).default(2000),
  DATABASE_POOL_WAIT_MS: int(100, 600_000).default(10_000),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 600_000).default(5000),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_LIFETIME_SECONDS: int(60).default(3600),
  JWT_ISSUER: z.string().min(1).default('photo-feed-api'),
  JWT_AUDIENCE: z.string().min(1).default('photo-feed-api:auth'),
  BCRYPT_COST: int(4, 15).default(12),
  REFRESH_TOKEN_LIFETIME_SECONDS: int(60).default(30 * DAY),
  SESSION_ABSOLUTE_LIFETIME_SECONDS: int(60).default(30 * DAY),
  SESSION_COOKIE_LIFETIME_SECONDS: int(60).default(7 * DAY),
  // A cookie name is an RFC 6265 token.
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "letters, digits and !#$%&'*+-.^_`|~ only")
    .default('photo_feed_session'),
  SESSION_COOKIE_DOMAIN: z
    .string()
    .regex(/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i, 'a domain name, e.g. example.com')
    .optional(),
  UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  PUBLIC_URL: z.url().optional(),
  MAX_UPLOAD_BYTES: int(1).default(100 * MB),
  MAX_JSON_BYTES: int(1024).default(MB),
  UPLOAD_TIMEOUT_SECONDS: int(1, 86_400).default(900),
  GRAPHIQL: flag.optional(),
  INTROSPECTION: flag.optional(),
  METRICS: flag.optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Comma-separated origins (https://app.example.com), or *.
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.union([
          z.literal('*'),
          z
            .url({ protocol: /^https?$/ })
            .refine((url) => new URL(url).origin === url, 'an origin: scheme://host[:port], no path'),
        ]),
      ),
    )
    .optional(),
  APP_URL: z.url().default('http://localhost:3000'),
  MAIL_FROM: z.string().min(3).default('Photo feed <no-reply@localhost>'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  // Mails are not sent, only logged by address and subject: for a production that has no mail on purpose.
  MAIL_LOG_ONLY: flag.default(false),
  RESET_TOKEN_LIFETIME_SECONDS: int(60).default(3600),
  VERIFY_TOKEN_LIFETIME_SECONDS: int(60).default(86400),
  REQUIRE_VERIFIED_LOGIN: flag.default(false),
  LOGIN_MAX_FAILURES: int(1).default(10),
  LOGIN_MAX_FAILURES_PER_EMAIL: int(1).default(100),
  LOGIN_MAX_FAILURES_PER_IP: int(1).default(100),
  LOGIN_FAILURE_WINDOW_SECONDS: int(1).default(900),
  LOGIN_MAX_PER_MINUTE: int(1).default(10),
  PASSWORD_CHECKS_IN_FLIGHT_PER_IP: int(1).default(2),
  REGISTER_MAX_PER_IP: int(0).default(20),
  MAIL_MAX_PER_ADDRESS: int(1).default(5),
  MAIL_MAX_PER_IP: int(1).default(30),
  UPLOAD_MAX_PER_HOUR: int(0).default(30),
  SOCIAL_ACTIONS_MAX_PER_HOUR: int(0).default(600),
  COMMENT_MAX_PER_HOUR: int(0).default(120),
  REPORT_MAX_PER_HOUR: int(0).default(20),
  REPORTS_TO_HIDE: int(0).default(3),
  SUBSCRIPTIONS_MAX_PER_USER: int(1).default(10),
  SUBSCRIPTIONS_MAX_PER_INSTANCE: int(1).default(10_000),
  SUBSCRIPTION_BUFFER_EVENTS: int(1, 10_000).default(100),
  UPLOAD_MAX_BYTES_PER_DAY: int(0).default(2 * 1024 * MB),
  RATE_LIMIT_MEMORY_MAX_KEYS: int(1).default(100_000),
  SWEEP_TMPDIR: flag.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_TIMEOUT_MS: int(100, 600_000).default(1000),
  // true/1 trusts one proxy hop, N trusts N, false/0 none.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, 'must be true, false or a number of proxy hops')
    .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value)))
    .default(0),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Media storage: local disk unless ImageKit keys are set; STORAGE forces either.
  STORAGE: z.enum(['local', 'imagekit']).optional(),
  IMAGEKIT_PRIVATE_KEY: z
    .string()
    .refine((key) => !key.startsWith('public_'), 'this is the public key; the private key starts with private_')
    .optional(),
  IMAGEKIT_PUBLIC_KEY: z.string().optional(),
  IMAGEKIT_URL_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  IMAGEKIT_FOLDER: z
    .string()
    .regex(/^[\w\-/]+$/, 'letters, digits, -, _ and / only')
    .default('/uploads/'),
  IMAGEKIT_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // The SDK's own name for the same setting, honoured so existing deployments keep working.
  IMAGE_KIT_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // At most 2^31 - 1: Post.size is a 32-bit integer (GraphQL Int, PostgreSQL integer).
  IMAGEKIT_DIRECT_UPLOAD_MAX_BYTES: int(1, 2 ** 31 - 1).default(1024 * MB),
  IMAGEKIT_TIMEOUT_MS: int(100).default(60_000),
  IMAGEKIT_MAX_RETRIES: int(0, 10).default(2),
  MEDIA_CLEANUP_INTERVAL_MS: int(1000).default(60_000),
  // Images whose header declares more pixels (all frames together) are refused before decoding.
  IMAGE_MAX_PIXELS: int(1).default(100_000_000),
  // HEIC decodes whole in WebAssembly (about 21 bytes a pixel at peak): a lower cap than other images.
  HEIC_MAX_PIXELS: int(1).default(25_000_000),
  // The small rendition a blurhash of a direct ImageKit upload is computed from: how long to wait for it.
  IMAGEKIT_PLACEHOLDER_TIMEOUT_MS: int(100).default(10_000),
  // Sign-in with OAuth2 / OpenID Connect: a provider is on when its client id and secret are set.
  OAUTH_GOOGLE_CLIENT_ID: z.string().optional(),
  OAUTH_GOOGLE_CLIENT_SECRET: z.string().optional(),
  // Google's issuer; only for tests and proxies.
  OAUTH_GOOGLE_ISSUER: z.url({ protocol: /^https?$/ }).default('https://accounts.google.com'),
  OAUTH_GITHUB_CLIENT_ID: z.string().optional(),
  OAUTH_GITHUB_CLIENT_SECRET: z.string().optional(),
  // GitHub's web and API hosts: GitHub Enterprise Server's (https://ghe.example.com, .../api/v3), or tests'.
  OAUTH_GITHUB_URL: z.url({ protocol: /^https?$/ }).default('https://github.com'),
  OAUTH_GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  OAUTH_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OAUTH_OIDC_CLIENT_ID: z.string().optional(),
  OAUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  OAUTH_OIDC_NAME: z.string().trim().min(1).max(60).default('Single sign-on'),
  // Per call to a provider (discovery, token exchange, user info), until it answers.
  OAUTH_TIMEOUT_MS: int(100, 120_000).default(10_000),
});

export type Config = ReturnType<typeof buildConfig>;

/** Every variable the server reads (.env.example lists each; test/config.test.ts holds it to that). */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = z.infer<typeof envSchema>;

function buildConfig(env: Env, jwtSecret: string) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    /** Connections per instance to PostgreSQL; unused by SQLite. */
    databasePoolSize: env.DATABASE_POOL_SIZE,
    /** PostgreSQL: how long to wait for a connection, and for a statement's answer, before SERVICE_UNAVAILABLE. */
    databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
    /** PostgreSQL: how long a request waits for a free connection while the pool is busy. */
    databasePoolWaitMs: env.DATABASE_POOL_WAIT_MS,
    /** SQLite: how long a statement keeps retrying while another process holds the write lock. */
    sqliteBusyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
    dataDir: path.resolve(env.DATA_DIR),
    jwt: {
      secret: jwtSecret,
      lifetimeSeconds: env.JWT_LIFETIME_SECONDS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    bcryptCost: env.BCRYPT_COST,
    sessions: {
      /** A bearer session's access token (JWT_LIFETIME_SECONDS). */
      accessLifetimeSeconds: env.JWT_LIFETIME_SECONDS,
      /** A refresh token, from the sign-in or the refresh that issued it. */
      refreshLifetimeSeconds: env.REFRESH_TOKEN_LIFETIME_SECONDS,
      /** A cookie session without a request; one in its second half renews it. */
      cookieLifetimeSeconds: env.SESSION_COOKIE_LIFETIME_SECONDS,
      /** No refresh or renewal takes a session past this long after its sign-in. */
      absoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
      /** The cookie of cookie sessions: HttpOnly, SameSite=Lax, Path=/, Secure in production. */
      cookie: {
        name: env.SESSION_COOKIE_NAME,
        domain: env.SESSION_COOKIE_DOMAIN ?? null,
        secure: production,
      },
    },
    uploadDir: path.resolve(env.UPLOAD_DIR),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    maxJsonBytes: env.MAX_JSON_BYTES,
    /** How long a request body (an upload, mostly) may take to arrive, from the request's headers on. */
    uploadTimeoutSeconds: env.UPLOAD_TIMEOUT_SECONDS,
    graphiql: env.GRAPHIQL ?? !production,
    introspection: env.INTROSPECTION ?? !production,
    /** GET /metrics in Prometheus' format: on outside production unless set. */
    metrics: env.METRICS ?? !production,
    /** When set, /metrics answers only requests bearing it (Authorization: Bearer <token>). */
    metricsToken: env.METRICS_TOKEN ?? null,
    /** Origins whose pages may call this API: any outside production unless set, none in production. */
    corsOrigins: corsOriginsOf(env.CORS_ORIGINS, production),
    appUrl: env.APP_URL.replace(/\/+$/, ''),
    mail: {
      from: env.MAIL_FROM,
      smtpUrl: env.SMTP_URL ?? null,
      logOnly: env.MAIL_LOG_ONLY,
      /** Without SMTP outside production, each mail is a file here for the developer to open. */
      outboxDir: path.join(path.resolve(env.DATA_DIR), 'outbox'),
    },
    accountTokens: {
      resetLifetimeSeconds: env.RESET_TOKEN_LIFETIME_SECONDS,
      verifyLifetimeSeconds: env.VERIFY_TOKEN_LIFETIME_SECONDS,
    },
    requireVerifiedLogin: env.REQUIRE_VERIFIED_LOGIN,
    loginLimits: {
      windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
      maxFailures: env.LOGIN_MAX_FAILURES,
      maxFailuresPerEmail: env.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      maxPerMinute: env.LOGIN_MAX_PER_MINUTE,
    },
    /** Password checks and hashes one client may have running at once, on this instance. */
    passwordChecksInFlightPerIp: env.PASSWORD_CHECKS_IN_FLIGHT_PER_IP,
    accountLimits: {
      registerMaxPerIp: env.REGISTER_MAX_PER_IP,
      mailMaxPerAddress: env.MAIL_MAX_PER_ADDRESS,
      mailMaxPerIp: env.MAIL_MAX_PER_IP,
    },
    uploadLimits: { maxPerHour: env.UPLOAD_MAX_PER_HOUR, maxBytesPerDay: env.UPLOAD_MAX_BYTES_PER_DAY },
    /** Follows, likes and comments per account per hour (0: off), and comments on top. */
    socialLimits: { actionsPerHour: env.SOCIAL_ACTIONS_MAX_PER_HOUR, commentsPerHour: env.COMMENT_MAX_PER_HOUR },
    /** Reports: per account per hour (0: off), and the distinct reporters that hide a target (0: never hidden). */
    reports: { maxPerHour: env.REPORT_MAX_PER_HOUR, toHide: env.REPORTS_TO_HIDE },
    /** Live updates (subscriptions over SSE): open streams per user and per instance, and a slow reader's buffer. */
    live: {
      maxPerUser: env.SUBSCRIPTIONS_MAX_PER_USER,
      maxPerInstance: env.SUBSCRIPTIONS_MAX_PER_INSTANCE,
      bufferEvents: env.SUBSCRIPTION_BUFFER_EVENTS,
    },
    /** Rate limit windows kept in memory at most (without REDIS_URL; see src/infra/rate-limits/memory-store.ts). */
    rateLimitMemoryMaxKeys: env.RATE_LIMIT_MEMORY_MAX_KEYS,
    /** TMPDIR is this server's own: upload temp files a crash left there are removed. */
    sweepTmpDir: env.SWEEP_TMPDIR,
    redisUrl: env.REDIS_URL ?? null,
    /** How long a Redis connection attempt or command may take before the request answers SERVICE_UNAVAILABLE. */
    redisTimeoutMs: env.REDIS_TIMEOUT_MS,
    /** Proxy hops in front of the server whose X-Forwarded-For entries are believed. */
    trustProxyHops: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    /** Where new uploads go. Posts already stored elsewhere stay readable and deletable. */
    storage: env.STORAGE ?? (env.IMAGEKIT_PRIVATE_KEY ? 'imagekit' : 'local'),
    imagekit: imageKitConfig(env),
    mediaCleanupIntervalMs: env.MEDIA_CLEANUP_INTERVAL_MS,
    media: {
      /** Images over this many pixels are refused from their header, before any decoding. */
      imageMaxPixels: env.IMAGE_MAX_PIXELS,
      /** The same for HEIC, whose decoder holds the whole image (and more) in memory. */
      heicMaxPixels: Math.min(env.HEIC_MAX_PIXELS, env.IMAGE_MAX_PIXELS),
    },
    oauth: { providers: oauthProviders(env), timeoutMs: env.OAUTH_TIMEOUT_MS },
  };
}

/** A sign-in provider: an OpenID Connect issuer (discovered), or GitHub (plain OAuth 2 and its API). */
export type OAuthProviderConfig =
  | { id: 'google' | 'oidc'; name: string; protocol: 'oidc'; issuer: string; clientId: string; clientSecret: string }
  | {
      id: 'github';
      name: string;
      protocol: 'github';
      webUrl: string;
      apiUrl: string;
      clientId: string;
      clientSecret: string;
    };

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The configured providers, in the order a sign-in page lists them. */
function oauthProviders(env: Env): OAuthProviderConfig[] {
  const providers: OAuthProviderConfig[] = [];
  if (env.OAUTH_GOOGLE_CLIENT_ID && env.OAUTH_GOOGLE_CLIENT_SECRET) {
    providers.push({
      id: 'google',
      name: 'Google',
      protocol: 'oidc',
      issuer: env.OAUTH_GOOGLE_ISSUER,
      clientId: env.OAUTH_GOOGLE_CLIENT_ID,
      clientSecret: env.OAUTH_GOOGLE_CLIENT_SECRET,
    });
  }
  if (env.OAUTH_GITHUB_CLIENT_ID && env.OAUTH_GITHUB_CLIENT_SECRET) {
    providers.push({
      id: 'github',
      name: 'GitHub',
      protocol: 'github',
      webUrl: withoutSlash(env.OAUTH_GITHUB_URL),
      apiUrl: withoutSlash(env.OAUTH_GITHUB_API_URL),
      clientId: env.OAUTH_GITHUB_CLIENT_ID,
      clientSecret: env.OAUTH_GITHUB_CLIENT_SECRET,
    });
  }
  if (env.OAUTH_OIDC_ISSUER && env.OAUTH_OIDC_CLIENT_ID && env.OAUTH_OIDC_CLIENT_SECRET) {
    providers.push({
      id: 'oidc',
      name: env.OAUTH_OIDC_NAME,
      protocol: 'oidc',
      issuer: env.OAUTH_OIDC_ISSUER,
      clientId: env.OAUTH_OIDC_CLIENT_ID,
      clientSecret: env.OAUTH_OIDC_CLIENT_SECRET,
    });
  }
  return providers;
}

/** A provider half configured, or one reached over plain HTTP in production: named, so the server stops. */
function oauthProblems(env: Env): string[] {
  const together = [
    ['OAUTH_GOOGLE_CLIENT_ID', 'OAUTH_GOOGLE_CLIENT_SECRET'],
    ['OAUTH_GITHUB_CLIENT_ID', 'OAUTH_GITHUB_CLIENT_SECRET'],
    ['OAUTH_OIDC_ISSUER', 'OAUTH_OIDC_CLIENT_ID', 'OAUTH_OIDC_CLIENT_SECRET'],
  ] as const;
  const problems = together.flatMap((names) => {
    const set = names.filter((name) => env[name]);
    if (set.length === 0 || set.length === names.length) return [];
    return names.filter((name) => !env[name]).map((name) => `${name}: required when ${set.join(' and ')} is set`);
  });
  if (env.NODE_ENV === 'production') {
    const urls = ['OAUTH_GOOGLE_ISSUER', 'OAUTH_GITHUB_URL', 'OAUTH_GITHUB_API_URL', 'OAUTH_OIDC_ISSUER'] as const;
    for (const name of urls) {
      if (env[name]?.startsWith('http:')) problems.push(`${name}: must be https:// in production`);
    }
  }
  return problems;
}

function corsOriginsOf(origins: string[] | undefined, production: boolean): '*' | string[] {
  if (!origins) return production ? [] : '*';
  return origins.includes('*') ? '*' : origins;
}

function imageKitConfig(env: Env) {
  if (!env.IMAGEKIT_PRIVATE_KEY || !env.IMAGEKIT_PUBLIC_KEY || !env.IMAGEKIT_URL_ENDPOINT) return null;
  const folder = env.IMAGEKIT_FOLDER.replace(/^\/+|\/+$/g, '');
  const baseUrl = env.IMAGEKIT_BASE_URL ?? env.IMAGE_KIT_BASE_URL ?? null;
  return {
    privateKey: env.IMAGEKIT_PRIVATE_KEY,
    publicKey: env.IMAGEKIT_PUBLIC_KEY,
    urlEndpoint: env.IMAGEKIT_URL_ENDPOINT.replace(/\/+$/, ''),
    /** Always /a/b/, so folder + name is a path. */
    folder: folder ? `/${folder}/` : '/',
    /** Passed to the SDK explicitly, so it never falls back to reading the environment itself. */
    baseUrl,
    /** Where browsers send direct uploads: ImageKit's upload API v2 (on the base URL when one is set). */
    directUploadUrl: `${(baseUrl ?? 'https://upload.imagekit.io').replace(/\/+$/, '')}/api/v2/files/upload`,
    /** The largest file a direct upload token lets ImageKit take (its "file.size" check). */
    directUploadMaxBytes: env.IMAGEKIT_DIRECT_UPLOAD_MAX_BYTES,
    /** Per attempt, until ImageKit answers; an upload has to be sent whole within it. */
    timeoutMs: env.IMAGEKIT_TIMEOUT_MS,
    maxRetries: env.IMAGEKIT_MAX_RETRIES,
    /** How long to wait for the 32-pixel rendition a direct upload's blurhash is computed from. */
    placeholderTimeoutMs: env.IMAGEKIT_PLACEHOLDER_TIMEOUT_MS,
  };
}

export type ImageKitConfig = NonNullable<ReturnType<typeof imageKitConfig>>;

/** ImageKit is on when its private key is set, and then needs the public key and URL endpoint too. */
function imageKitProblems(env: Env): string[] {
  const where = {
    IMAGEKIT_PRIVATE_KEY: 'ImageKit dashboard: Developer options → API keys',
    IMAGEKIT_PUBLIC_KEY: 'ImageKit dashboard: Developer options → API keys',
    IMAGEKIT_URL_ENDPOINT: 'ImageKit dashboard: URL-endpoints, e.g. https://ik.imagekit.io/your_id',
  } as const;
  const missing = (name: keyof typeof where, when: string) => `${name}: required when ${when} (${where[name]})`;
  if (env.IMAGEKIT_PRIVATE_KEY) {
    return (['IMAGEKIT_PUBLIC_KEY', 'IMAGEKIT_URL_ENDPOINT'] as const)
      .filter((name) => !env[name])
      .map((name) => missing(name, 'IMAGEKIT_PRIVATE_KEY is set'));
  }
  return env.STORAGE === 'imagekit' ? [missing('IMAGEKIT_PRIVATE_KEY', 'STORAGE=imagekit')] : [];
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
  const problems = [...imageKitProblems(values), ...productionProblems(values), ...oauthProblems(values)];
  if (problems.length > 0) throw new ConfigError(problems);
  const secret = values.JWT_SECRET ?? persistedDevSecret(path.resolve(values.DATA_DIR), warn);
  return buildConfig(values, secret);
}

/** What production needs that development makes up for: a real secret, and mail that reaches people. */
function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return [
    ...(env.JWT_SECRET ? [] : ['JWT_SECRET: required when NODE_ENV=production (at least 32 characters)']),
    // Reset and verification links must reach their owners, not sit where anyone reading files or logs can use them.
    ...(env.SMTP_URL || env.MAIL_LOG_ONLY
      ? []
      : [
          'SMTP_URL: required when NODE_ENV=production (smtp://user:pass@host:587), so account mails reach their owners; set MAIL_LOG_ONLY=true to run without mail on purpose',
        ]),
  ];
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
