// Cookie sessions and their CSRF rule in a real browser: Debian's Chromium (driven by playwright-core)
// opens pages served on other loopback ports than the API (other origins of the same site, so the
// browser sends the SameSite=Lax cookie along and only the server's rule stands in the way). A page on
// the origin CORS_ORIGINS lists signs in with credentials: 'include', reads `me`, uploads a file and
// signs out; a page on an unlisted origin is refused, and so is its cross-site form POST.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { SESSION_COOKIE } from '../support/cookies.ts';
import { FIXTURES, startTestServer, type TestServer } from '../support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT = 30_000;

/** A frontend: an empty page, and a form that posts to the API by itself. */
async function startPageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/form') {
      // What a hostile page can send without the API's consent: a text/plain form POST whose body is JSON.
      const api = url.searchParams.get('api')!;
      const name = '{"query":"mutation { updateMe(input: { bio: \\"pwned\\" }) { bio } }","x":"';
      const html = `<!doctype html><title>form</title>
        <form id="f" method="POST" enctype="text/plain" action="${api}/graphql">
          <input name='${name}' value='"}'>
        </form><script>document.getElementById('f').submit()</script>`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><p>app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let app: { origin: string; server: Server };
let stranger: { origin: string; server: Server };
let api: TestServer;
let alice: TestUser;
let browser: Browser | undefined;

beforeAll(async () => {
  app = await startPageServer();
  stranger = await startPageServer();
  api = await startTestServer({ CORS_ORIGINS: app.origin });
  alice = await signUp(api);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  for (const page of [app, stranger]) {
    page?.server.closeAllConnections();
    await new Promise<void>((resolve) => page?.server.close(() => resolve()) ?? resolve());
  }
});

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: these tests drive Debian's Chromium. Install it with ` +
        '`apt-get update && apt-get install -y --no-install-recommends chromium` (as root; .ci/run does it).',
    );
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: TIMEOUT });
  return browser;
}

async function withPage(origin: string, body: (page: Page, context: BrowserContext) => Promise<void>) {
  const context = await (await launch()).newContext();
  context.setDefaultTimeout(TIMEOUT);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await body(page, context);
  } finally {
    await context.close();
  }
}

/** A GraphQL request from the page, as a frontend sends one: JSON, credentials included, the preflight header. */
function gqlFromPage(page: Page, query: string, variables: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ url, query, variables }) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    { url: api.url, query, variables },
  );
}

/** How many answers the API has given with the code CSRF_REJECTED (its Prometheus counter). */
async function csrfRefusals(): Promise<number> {
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  return Number(/^graphql_errors_total\{code="CSRF_REJECTED"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

const sessionCookies = async (context: BrowserContext) =>
  (await context.cookies(api.url)).filter((cookie) => cookie.name === SESSION_COOKIE);

describe('a cookie session in Chromium', { timeout: 120_000 }, () => {
  it('signs in from the listed origin, reads me, uploads a file and signs out', async () => {
    const photo = await readFile(path.join(FIXTURES, 'photo.jpg'));
    await withPage(app.origin, async (page, context) => {
      const login = await gqlFromPage(
        page,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p, transport: COOKIE) { token tokenType user { username } } }',
        { e: alice.email, p: alice.password },
      );
      expect(login).toEqual({
        status: 200,
        body: { data: { login: { token: null, tokenType: 'cookie', user: { username: alice.username } } } },
      });
      // Kept by the browser for the API, out of the page's reach.
      const [cookie] = await sessionCookies(context);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
      expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);

      const me = await gqlFromPage(page, '{ me { username } }');
      expect(me.body).toEqual({ data: { me: { username: alice.username } } });

      const uploaded = await page.evaluate(
        async ({ url, bytes }) => {
          const form = new FormData();
          const query =
            'mutation($file: Upload!) { uploadPost(file: $file, caption: "from the browser") { id fileType author { username } } }';
          form.append('operations', JSON.stringify({ query, variables: { file: null } }));
          form.append('map', JSON.stringify({ 0: ['variables.file'] }));
          form.append('0', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
          const response = await fetch(`${url}/graphql`, {
            method: 'POST',
            credentials: 'include',
            headers: { 'apollo-require-preflight': 'true' },
            body: form,
          });
          return { status: response.status, body: await response.json() };
        },
        { url: api.url, bytes: [...photo] },
      );
      expect(uploaded.body.errors).toBeUndefined();
      expect(uploaded.body.data.uploadPost).toMatchObject({ fileType: 'IMAGE', author: { username: alice.username } });

      const logout = await gqlFromPage(page, 'mutation { logout }');
      expect(logout.body).toEqual({ data: { logout: true } });
      expect(await sessionCookies(context)).toEqual([]);
      expect((await gqlFromPage(page, '{ me { username } }')).body).toEqual({ data: { me: null } });
    });
  });

  it('refuses a page on an unlisted origin, though the browser sends it the cookie', async () => {
    const bioBefore = (await api.db.user.findUniqueOrThrow({ where: { id: alice.dbId } })).bio;
    await withPage(app.origin, async (appPage, context) => {
      await gqlFromPage(
        appPage,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p, transport: COOKIE) { tokenType } }',
        { e: alice.email, p: alice.password },
      );
      expect(await sessionCookies(context)).toHaveLength(1);

      const page = await context.newPage();
      await page.goto(`${stranger.origin}/`);
      // A credentialed request from there: the API's answer to the preflight names no such origin.
      const blocked = await page.evaluate(async (url) => {
        try {
          await fetch(`${url}/graphql`, {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
            body: JSON.stringify({ query: 'mutation { updateMe(input: { bio: "pwned" }) { bio } }' }),
          });
          return 'answered';
        } catch (error) {
          return String(error);
        }
      }, api.url);
      expect(blocked).toMatch(/TypeError: Failed to fetch/);

      // A request the browser sends without asking (no-cors): the cookie goes along, and the API refuses it.
      // The page gets an opaque answer; the API's metrics count what it answered.
      const refusalsBefore = await csrfRefusals();
      const refused = page.waitForResponse((response) => response.url().startsWith(`${api.url}/graphql`));
      await page.evaluate(
        (url) =>
          fetch(`${url}/graphql?query=${encodeURIComponent('{ me { email } }')}`, {
            mode: 'no-cors',
            credentials: 'include',
          }),
        api.url,
      );
      const answer = await refused;
      expect(answer.status()).toBe(403);
      // CSRF_REJECTED is only ever the answer to a request that carries the session cookie.
      expect(await csrfRefusals()).toBe(refusalsBefore + 1);
    });
    expect((await api.db.user.findUniqueOrThrow({ where: { id: alice.dbId } })).bio).toBe(bioBefore);
  });

  it('refuses a cross-site form POST that carries the cookie', async () => {
    await withPage(app.origin, async (appPage, context) => {
      await gqlFromPage(
        appPage,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p, transport: COOKIE) { tokenType } }',
        { e: alice.email, p: alice.password },
      );
      const page = await context.newPage();
      const posted = page.waitForResponse((response) => response.url() === `${api.url}/graphql`);
      await page.goto(`${stranger.origin}/form?api=${encodeURIComponent(api.url)}`);
      const answer = await posted;
      expect(answer.request().method()).toBe('POST');
      expect((await answer.request().allHeaders()).cookie).toContain(`${SESSION_COOKIE}=`);
      expect(answer.status()).toBe(403);
      expect(await answer.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_REJECTED' } }] });
    });
    expect((await api.db.user.findUniqueOrThrow({ where: { id: alice.dbId } })).bio).not.toBe('pwned');
  });
});
