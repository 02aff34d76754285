// GET /auth/oauth/:provider/authorize and /callback: browser navigations, answered with redirects
// (src/services/accounts/oauth/oauth.ts decides where to). The state rides in a short-lived cookie of
// its own, scoped to these routes; a cookie sign-in sets the session cookie on the last redirect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type OAuthService, type OAuthStep, STATE_LIFETIME_MS } from '../services/accounts/oauth/oauth.ts';
import type { SendError } from './answer.ts';
import { nodeHeaders, parseCookies, type SessionCookieSettings, sessionCookieLine } from './session-cookie.ts';

const ROUTE = /^\/auth\/oauth\/([^/?]+)\/(authorize|callback)(?:\?|$)/;
const STATE_PATH = '/auth/oauth/';

/** The cookie that holds a sign-in's state between authorize and callback. */
function stateCookie(settings: SessionCookieSettings, value: string, maxAgeSeconds: number): string {
  // SameSite=Lax: the provider's redirect back is a top-level GET, which Lax cookies go with.
  const secure = settings.secure ? '; Secure' : '';
  return `${settings.name}_oauth=${value}; Max-Age=${maxAgeSeconds}; Path=${STATE_PATH}; HttpOnly; SameSite=Lax${secure}`;
}

export function createOAuthRoutes({
  config,
  oauth,
  logger,
  sendError,
}: {
  config: Config;
  oauth: OAuthService;
  logger: Logger;
  sendError: SendError;
}) {
  const cookie = config.sessions.cookie;

  function redirect(res: ServerResponse, location: URL, cookies: string[]) {
    res.writeHead(302, {
      location: location.href,
      'set-cookie': cookies,
      'cache-control': 'no-store',
      // The callback's URL holds the provider's code: no page after it learns it from a Referer.
      'referrer-policy': 'no-referrer',
    });
    res.end();
  }

  function follow(res: ServerResponse, step: OAuthStep) {
    if (step.to === 'provider') {
      return redirect(res, step.location, [stateCookie(cookie, step.state, STATE_LIFETIME_MS / 1000)]);
    }
    const cookies = [stateCookie(cookie, '', 0)];
    if (step.session) cookies.push(sessionCookieLine(cookie, step.session.token, step.session.expiresAt));
    return redirect(res, step.location, cookies);
  }

  return {
    /** Whether the URL is one of these routes (whatever the provider). */
    matches: (url: string) => ROUTE.test(url),

    async handle(req: IncomingMessage, res: ServerResponse, clientIp: string | null): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, provider = '', step] = ROUTE.exec(req.url ?? '') ?? [];
      if (!oauth.has(provider)) {
        return sendError(res, 404, ErrorCode.NOT_FOUND, `No sign-in provider "${provider}" is configured here.`);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendError(res, 405, ErrorCode.BAD_REQUEST, 'Sign-in routes are browser navigations: GET only.');
      }
      try {
        if (step === 'authorize') return follow(res, await oauth.authorize(provider, url.searchParams));
        const header = nodeHeaders(req.headers);
        const browserState = parseCookies(header('cookie')).get(`${cookie.name}_oauth`) ?? null;
        const who = { clientIp, userAgent: header('user-agent') ?? null };
        return follow(res, await oauth.callback(provider, url.searchParams, browserState, who));
      } catch (error) {
        // Still a way back to the frontend, with a code and without a stack.
        logger.error({ provider, step, error }, 'OAuth route failed');
        const location = new URL(`${config.appUrl}/`);
        location.searchParams.set('oauth_error', ErrorCode.INTERNAL_SERVER_ERROR);
        return redirect(res, location, [stateCookie(cookie, '', 0)]);
      }
    },
  };
}
