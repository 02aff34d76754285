// GitHub's OAuth web flow and the two REST endpoints a sign-in reads, as GitHub documents them, on a
// loopback port: /login/oauth/authorize redirects back with a code, /login/oauth/access_token trades it
// (once, with the client secret and the PKCE verifier) for a token, answering errors with HTTP 200 and
// an error body as GitHub does, and /user and /user/emails answer for that token.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHubAccount {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean; visibility: string | null }[];
}

export interface FakeGitHub {
  url: string;
  clientId: string;
  clientSecret: string;
  signInAs(account: GitHubAccount): void;
  /** The token endpoint answers nothing until `stop`: a provider too slow to wait for. */
  hangTokenEndpoint(hang: boolean): void;
  /** Every request it took, method and path. */
  requests: string[];
  stop(): Promise<void>;
}

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const clientId = 'Iv1.testclient';
  const clientSecret = 'test-client-secret';
  let account: GitHubAccount = { id: 1, login: 'octocat', emails: [] };
  let hang = false;
  const requests: string[] = [];
  // Codes and tokens as GitHub keeps them: a code is good once, for its redirect and PKCE challenge.
  const codes = new Map<string, { challenge: string | null; redirectUri: string; account: GitHubAccount }>();
  const tokens = new Map<string, GitHubAccount>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));

    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri')!;
      if (url.searchParams.get('client_id') !== clientId) return json(404, { error: 'not found' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { challenge: url.searchParams.get('code_challenge'), redirectUri, account });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.href }).end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      if (hang) return; // never answered
      const form = new URLSearchParams(await body(req));
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      if (basic[0] !== clientId || basic[1] !== clientSecret) {
        return json(200, {
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        });
      }
      const code = form.get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !issued ||
        issued.redirectUri !== form.get('redirect_uri') ||
        (issued.challenge && issued.challenge !== challenge)
      ) {
        // GitHub answers a bad or reused code with 200 and an error body.
        return json(200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      const token = `gho_${randomBytes(16).toString('hex')}`;
      tokens.set(token, issued.account);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const who = tokens.get(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (req.method === 'GET' && url.pathname === '/user') {
      if (!who) return json(401, { message: 'Requires authentication' });
      return json(200, { id: who.id, login: who.login, name: null, email: null });
    }
    if (req.method === 'GET' && url.pathname === '/user/emails') {
      if (!who) return json(401, { message: 'Requires authentication' });
      return json(200, who.emails);
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clientId,
    clientSecret,
    requests,
    signInAs(next) {
      account = next;
    },
    hangTokenEndpoint(next) {
      hang = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
