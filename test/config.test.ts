import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../src/config.ts';
import { newTempDir } from './support/server.ts';

const secret = { JWT_SECRET: 'x'.repeat(40) };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, () => {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has working defaults for one box', () => {
    const config = loadConfig(secret, () => {});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: 'file:./data/dev.db',
      uploadDir: path.resolve('data/uploads'),
      publicUrl: 'http://localhost:4000',
      maxUploadBytes: 100 * 1024 * 1024,
      bcryptCost: 12,
      graphiql: true,
      jwt: { lifetimeSeconds: 3600 },
    });
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      ...secret,
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      BCRYPT_COST: '99',
      MAX_UPLOAD_BYTES: '-1',
      PUBLIC_URL: 'not a url',
    });
    for (const name of ['PORT', 'DATABASE_URL', 'BCRYPT_COST', 'MAX_UPLOAD_BYTES', 'PUBLIC_URL']) {
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    }
  });

  it('requires JWT_SECRET and SMTP_URL in production, naming both at once', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: required when NODE_ENV=production/),
      expect.stringMatching(/^SMTP_URL: required when NODE_ENV=production .*set MAIL_LOG_ONLY=true/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short', SMTP_URL: 'smtp://mail:587' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: .*32/),
    ]);
  });

  it('runs production without mail only when MAIL_LOG_ONLY=true says so', () => {
    const production = { ...secret, NODE_ENV: 'production' };
    expect(problemsOf({ ...production, MAIL_LOG_ONLY: 'false' })).toEqual([expect.stringMatching(/^SMTP_URL: /)]);
    expect(loadConfig({ ...production, MAIL_LOG_ONLY: 'true' }).mail).toMatchObject({ smtpUrl: null, logOnly: true });
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://mail:587' }).mail).toMatchObject({ logOnly: false });
  });

  it('outside production, generates a secret once and keeps it under the data folder', async () => {
    const dir = await newTempDir();
    const warnings: string[] = [];
    const first = loadConfig({ DATA_DIR: dir }, (m) => warnings.push(m));
    const second = loadConfig({ DATA_DIR: dir }, (m) => warnings.push(m));
    expect(first.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwt.secret).toBe(first.jwt.secret);
    expect(readFileSync(path.join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first.jwt.secret);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/JWT_SECRET is not set/);
  });

  it('turns GraphiQL off in production unless asked, and derives PUBLIC_URL from PORT', () => {
    const production = { ...secret, NODE_ENV: 'production', MAIL_LOG_ONLY: 'true' };
    expect(loadConfig(production).graphiql).toBe(false);
    expect(loadConfig({ ...production, GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({ ...secret, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ ...secret, PUBLIC_URL: 'https://api.example.com/' }).publicUrl).toBe('https://api.example.com');
  });

  it('takes DATABASE_POOL_SIZE for the PostgreSQL pool, 10 by default', () => {
    expect(loadConfig(secret).databasePoolSize).toBe(10);
    expect(
      loadConfig({ ...secret, DATABASE_URL: 'postgresql://db.internal:5432/app', DATABASE_POOL_SIZE: '25' })
        .databasePoolSize,
    ).toBe(25);
    expect(problemsOf({ ...secret, DATABASE_POOL_SIZE: '0' }).some((p) => p.startsWith('DATABASE_POOL_SIZE:'))).toBe(
      true,
    );
  });

  it('has session defaults of 30 days (refresh, absolute cap) and 7 days (cookie), Secure cookies in production', () => {
    const day = 86_400;
    expect(loadConfig(secret).sessions).toEqual({
      accessLifetimeSeconds: 3600,
      refreshLifetimeSeconds: 30 * day,
      absoluteLifetimeSeconds: 30 * day,
      cookieLifetimeSeconds: 7 * day,
      cookie: { name: 'photo_feed_session', domain: null, secure: false },
    });
    expect(loadConfig({ ...secret, NODE_ENV: 'production', MAIL_LOG_ONLY: 'true' }).sessions.cookie.secure).toBe(true);
    for (const [name, value] of [
      ['SESSION_COOKIE_NAME', 'has space'],
      ['SESSION_COOKIE_NAME', 'a;b'],
      ['SESSION_COOKIE_DOMAIN', 'exa mple.com'],
      ['REFRESH_TOKEN_LIFETIME_SECONDS', '10'],
    ] as const) {
      expect(
        problemsOf({ ...secret, [name]: value }).some((p) => p.startsWith(`${name}:`)),
        `${name}=${value}`,
      ).toBe(true);
    }
  });

  it('turns on each sign-in provider whose client is set, and names a half-configured one', () => {
    expect(loadConfig(secret).oauth.providers).toEqual([]);
    const all = loadConfig({
      ...secret,
      OAUTH_GOOGLE_CLIENT_ID: 'g',
      OAUTH_GOOGLE_CLIENT_SECRET: 'gs',
      OAUTH_GITHUB_CLIENT_ID: 'h',
      OAUTH_GITHUB_CLIENT_SECRET: 'hs',
      OAUTH_OIDC_ISSUER: 'https://sso.example.com/realms/main',
      OAUTH_OIDC_CLIENT_ID: 'o',
      OAUTH_OIDC_CLIENT_SECRET: 'os',
    });
    expect(all.oauth.providers.map((p) => [p.id, p.name])).toEqual([
      ['google', 'Google'],
      ['github', 'GitHub'],
      ['oidc', 'Single sign-on'],
    ]);
    expect(all.oauth.providers[0]).toMatchObject({ issuer: 'https://accounts.google.com' });
    expect(all.oauth.providers[1]).toMatchObject({ webUrl: 'https://github.com', apiUrl: 'https://api.github.com' });
    expect(problemsOf({ ...secret, OAUTH_GITHUB_CLIENT_ID: 'h' })).toEqual([
      'OAUTH_GITHUB_CLIENT_SECRET: required when OAUTH_GITHUB_CLIENT_ID is set',
    ]);
    expect(problemsOf({ ...secret, OAUTH_OIDC_ISSUER: 'https://sso.example.com' })).toEqual([
      'OAUTH_OIDC_CLIENT_ID: required when OAUTH_OIDC_ISSUER is set',
      'OAUTH_OIDC_CLIENT_SECRET: required when OAUTH_OIDC_ISSUER is set',
    ]);
    // A provider over plain HTTP only outside production (tests run local providers that way).
    expect(
      problemsOf({
        ...secret,
        NODE_ENV: 'production',
        MAIL_LOG_ONLY: 'true',
        OAUTH_OIDC_ISSUER: 'http://sso.internal',
        OAUTH_OIDC_CLIENT_ID: 'o',
        OAUTH_OIDC_CLIENT_SECRET: 's',
      }),
    ).toEqual(['OAUTH_OIDC_ISSUER: must be https:// in production']);
  });

  it('lists every variable it reads in .env.example, with its default', () => {
    const example = readFileSync(path.join(import.meta.dirname, '..', '.env.example'), 'utf8');
    const names = ENV_VARIABLES;
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
