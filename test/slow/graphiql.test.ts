// GraphiQL in a real browser, offline: Debian's Chromium (driven by playwright-core) opens the page, and
// every request to another origin is refused and counted, so an asset still taken from a CDN fails here.
// A query typed into the editor runs and its answer shows in the result pane.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_DEFAULT_QUERY, GRAPHIQL_HEADERS } from '../../src/graphql/graphiql.ts';
import { signUp, type TestUser } from '../support/accounts.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { uploadPost } from '../support/upload.ts';

const CHROMIUM = '/usr/bin/chromium';
// As on these machines: no sandbox (root), no GPU, and none of Chromium's own calls home.
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
// The page is one ~9 MB document; Monaco starts three workers from it.
const UI_TIMEOUT = 30_000;
// Each browser test opens the page afresh and waits on the UI a few times.
const BROWSER_TEST_TIMEOUT = 120_000;

let server: TestServer;
let alice: TestUser;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Launched by the first test that needs it, so a missing Chromium fails those tests (never skips them). */
async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: these tests drive Debian's Chromium (no browser is downloaded). Install it with ` +
        '`apt-get update && apt-get install -y --no-install-recommends chromium` (as root; .ci/run does it).',
    );
  }
  // playwright-core gives each launch a fresh, empty --user-data-dir of its own, and removes it at close.
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: UI_TIMEOUT });
  return browser;
}

interface GraphiQLSession {
  context: BrowserContext;
  page: Page;
  queryEditor: Locator;
  headersEditor: Locator;
  resultEditor: Locator;
  /** Requests to any origin but the test server's, refused. */
  blocked: string[];
  /** Uncaught exceptions and console.error messages of the page. */
  errors: string[];
}

/** A new browser context (empty storage, so GraphiQL starts from its defaults) on the server's GraphiQL. */
async function openGraphiQL(): Promise<GraphiQLSession> {
  const origin = new URL(server.url).origin;
  const context = await (await launchBrowser()).newContext({
    serviceWorkers: 'block',
    viewport: { width: 1400, height: 1400 },
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  const blocked: string[] = [];
  const errors: string[] = [];
  // Workers' requests (Monaco's, from blob: URLs) come through here too.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('websocket', (socket) => blocked.push(socket.url()));

  // As a browser asks: GET with Accept: text/html.
  const response = await page.goto(`${server.url}/graphql`, { waitUntil: 'load', timeout: UI_TIMEOUT });
  expect(response?.status(), 'GraphiQL page status').toBe(200);
  const editor = (name: string) => page.locator(`.monaco-editor[data-uri$="-${name}"]`);
  const session = {
    context,
    page,
    queryEditor: editor('operation.graphql'),
    headersEditor: editor('request-headers.json'),
    resultEditor: editor('response.json'),
    blocked,
    errors,
  };
  await session.queryEditor
    .locator('.view-lines')
    .waitFor({ state: 'visible' })
    .catch((error: Error) => {
      throw new Error(
        `GraphiQL's query editor did not appear within ${UI_TIMEOUT} ms. Blocked requests: ${JSON.stringify(blocked)}; ` +
          `page errors: ${JSON.stringify(errors)}. (${error.message})`,
      );
    });
  return session;
}

/**
 * Runs `body` on a fresh GraphiQL page, then closes it; the test then fails on any request that went to
 * another origin and on any error in the page. A failure of `body` itself names those too: they tell why.
 */
async function withGraphiQL(body: (session: GraphiQLSession) => Promise<void>): Promise<void> {
  const session = await openGraphiQL();
  try {
    await body(session);
  } catch (error) {
    if (error instanceof Error && (session.blocked.length > 0 || session.errors.length > 0)) {
      error.message += `\n(blocked requests: ${JSON.stringify(session.blocked)}; page errors: ${JSON.stringify(session.errors)})`;
    }
    throw error;
  } finally {
    await session.context.close();
  }
  expect(session.blocked, 'requests to other origins (a CDN asset, a remote font?)').toEqual([]);
  expect(session.errors, 'errors in the page').toEqual([]);
}

/** The text a Monaco editor shows: its rendered lines, top to bottom (all of them, for the short documents here). */
async function textOf(editor: Locator): Promise<string> {
  const text = await editor.locator('.view-lines').evaluate((lines) =>
    [...lines.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
      .map((line) => line.textContent ?? '')
      .join('\n'),
  );
  return text.replace(/\u00a0/g, ' ').trim();
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Replaces an editor's content by typing, as a person would (Monaco closes brackets, and overtypes them). */
async function typeInto(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  // Closes an autocompletion list, if one is open.
  await page.keyboard.press('Escape');
  await expect.poll(() => textOf(editor), { message: 'what the editor holds after typing' }).toBe(text);
}

/**
 * Types an operation into the query editor, and waits until GraphiQL has taken it in: it reads the
 * operation's name a moment after each edit (the tab shows it), and a run before then asks this server
 * for the operation it read last ("Cannot infer operation Register").
 */
async function typeOperation(session: GraphiQLSession, operationName: string, text: string): Promise<void> {
  await typeInto(session.page, session.queryEditor, text);
  await expect
    .poll(() => session.page.locator('.graphiql-tab-active').textContent(), {
      timeout: UI_TIMEOUT,
      message: 'the tab named after the typed operation',
    })
    .toBe(operationName);
}

/** The result pane, parsed, once it holds something. */
async function expectResult(session: GraphiQLSession, expected: unknown): Promise<void> {
  await expect
    .poll(async () => jsonOrText(await textOf(session.resultEditor)), {
      timeout: UI_TIMEOUT,
      message: 'the result pane',
    })
    .toEqual(expected);
}

describe('GraphiQL', { timeout: BROWSER_TEST_TIMEOUT }, () => {
  it('is one page with every asset inline: no script, style, font, worker or favicon from elsewhere', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Photo feed API</title>');
    // The page's own markup, without the bodies of its scripts and styles. Headless Chromium asks for no
    // favicon, so the browser tests below would not see a remote one: it is checked here.
    const markup = html.replace(/(<(script|style)\b[^>]*>)[\s\S]*?(<\/\2>)/g, '$1$3');
    const references = [...markup.matchAll(/\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)].map(
      (m) => m[1] ?? m[2] ?? m[3]!,
    );
    expect(references.length, 'the favicon, at least').toBeGreaterThan(0);
    expect(
      references.filter((ref) => !ref.startsWith('data:')),
      'src and href in the markup',
    ).toEqual([]);
    expect(markup).not.toMatch(/<script[^>]*\ssrc|<link[^>]*stylesheet/);
    const css = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('\n');
    expect(css.length).toBeGreaterThan(0);
    const cssUrls = [...css.matchAll(/url\(\s*["']?([^"')]*)/g)].map((m) => m[1]!);
    expect(cssUrls.filter((url) => !url.startsWith('data:') && !url.startsWith('#'))).toEqual([]);
    expect(css).not.toMatch(/@import/);
    // Yoga's default page takes its assets from these; so do Google's fonts.
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|fonts\.(googleapis|gstatic)\.com|githubusercontent/);
  });

  it('opens offline on the walkthrough and the headers template, and loads the schema into Docs', async () => {
    await withGraphiQL(async (session) => {
      const { page } = session;
      const firstLine = GRAPHIQL_DEFAULT_QUERY.split('\n')[0]!;
      await expect
        .poll(() => textOf(session.queryEditor), { message: 'the query editor' })
        .toMatch(/^# Photo feed API/);
      expect((await textOf(session.queryEditor)).split('\n')[0]).toBe(firstLine);
      await expect.poll(() => textOf(session.queryEditor)).toContain('mutation Register');
      expect(jsonOrText(await textOf(session.headersEditor)), 'the headers editor').toEqual(
        JSON.parse(GRAPHIQL_HEADERS),
      );

      // Docs needs the schema, which GraphiQL introspects from this server.
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await expect
        .poll(() => page.locator('.graphiql-doc-explorer').textContent(), { timeout: UI_TIMEOUT, message: 'Docs' })
        .toMatch(/Query[\s\S]*Mutation/);
    });
  });

  it('runs a query typed into the editor (Ctrl-Enter), the template header sending no token', async () => {
    await withGraphiQL(async (session) => {
      await typeOperation(session, 'Typename', 'query Typename { __typename }');
      await session.page.keyboard.press('ControlOrMeta+Enter');
      await expectResult(session, { data: { __typename: 'Query' } });
    });
  });

  it('sends the token typed into the headers editor (run button)', async () => {
    await withGraphiQL(async (session) => {
      const { page } = session;
      await typeOperation(session, 'Me', 'query Me { me { username } }');
      await page.locator('.graphiql-execute-button').click();
      await expectResult(session, { data: { me: null } });

      await typeInto(page, session.headersEditor, `{ "Authorization": "Bearer ${alice.token}" }`);
      await page.locator('.graphiql-execute-button').click();
      await expectResult(session, { data: { me: { username: alice.username } } });
    });
  });

  it('shows the events of a subscription typed into the editor as they arrive (SSE)', async () => {
    await withGraphiQL(async (session) => {
      const { page } = session;
      await typeInto(page, session.headersEditor, `{ "Authorization": "Bearer ${alice.token}" }`);
      await typeOperation(
        session,
        'Live',
        'subscription Live { feedEvents { __typename ... on PostAdded { post { caption } } } }',
      );
      await page.locator('.graphiql-execute-button').click();
      // Posts until one shows: the stream may not be open yet when the first goes out.
      for (const caption of ['first live post', 'second live post']) {
        await expect
          .poll(
            async () => {
              await uploadPost(server.url, { token: alice.token, caption });
              return jsonOrText(await textOf(session.resultEditor));
            },
            { timeout: UI_TIMEOUT, interval: 1000, message: 'the result pane showing the new post' },
          )
          .toEqual({ data: { feedEvents: { __typename: 'PostAdded', post: { caption } } } });
      }
    });
  });
});

describe("GraphiQL's default query", () => {
  // A server of its own: the walkthrough's feed is empty, whatever the browser tests posted.
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('is a walkthrough that works: Register, Login, then Feed with the token', async () => {
    const run = (operationName: string, token?: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: GRAPHIQL_DEFAULT_QUERY, operationName }),
      }).then((response) => response.json() as Promise<{ data?: any; errors?: unknown[] }>);

    const registered = await run('Register');
    expect(registered.errors).toBeUndefined();
    expect(registered.data.register).toMatchObject({ username: 'ada', email: 'ada@example.com' });
    const login = await run('Login');
    expect(login.errors).toBeUndefined();
    const token: string = login.data.login.token;

    const signedOut = await run('Feed');
    expect(signedOut.data?.me ?? null).toBeNull();
    expect(JSON.stringify(signedOut.errors)).toMatch(/UNAUTHENTICATED/);
    // The headers template as it is: no bearer token, so a signed-out request rather than a refused one.
    const template = JSON.parse(GRAPHIQL_HEADERS) as { Authorization: string };
    const withTemplate = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: template.Authorization },
      body: JSON.stringify({ query: '{ me { username } }' }),
    }).then((response) => response.json());
    expect(withTemplate).toEqual({ data: { me: null } });

    const feed = await run('Feed', token);
    expect(feed.errors).toBeUndefined();
    expect(feed.data).toEqual({
      me: { username: 'ada' },
      feed: { edges: [], pageInfo: expect.objectContaining({ hasNextPage: false }) },
    });
  });
});
