// A browser's part in a provider sign-in, over real HTTP: it follows redirects from host to host,
// keeping each host's cookies (as a browser keeps them per host, paths and all ignored here), and stops
// where the sign-in returns to the frontend (APP_URL), which it does not fetch.
import { parseSetCookie } from './cookies.ts';

export const TEST_APP_URL = 'http://app.example.test';

export interface Hop {
  url: string;
  status: number;
  location: string | null;
  setCookies: string[];
}

export interface Navigation {
  /** Where the browser ended: a URL on APP_URL, or the last one it fetched. */
  finalUrl: URL;
  hops: Hop[];
}

export function oauthBrowser() {
  const jar = new Map<string, Map<string, string>>();
  const cookiesOf = (host: string) => {
    let cookies = jar.get(host);
    if (!cookies) {
      cookies = new Map();
      jar.set(host, cookies);
    }
    return cookies;
  };

  return {
    jar,
    cookiesOf,
    /** Follows redirects from `start` until the frontend (or a page that is no redirect) is reached. */
    async navigate(start: string, { maxHops = 10 } = {}): Promise<Navigation> {
      const hops: Hop[] = [];
      let url = new URL(start);
      for (let hop = 0; hop < maxHops; hop += 1) {
        if (url.href.startsWith(TEST_APP_URL)) return { finalUrl: url, hops };
        const cookies = cookiesOf(url.host);
        const response = await fetch(url, {
          redirect: 'manual',
          headers: cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
        });
        await response.arrayBuffer();
        const setCookies = response.headers.getSetCookie();
        for (const set of setCookies.map(parseSetCookie)) {
          if (set.attributes['max-age'] === '0') cookies.delete(set.name);
          else cookies.set(set.name, set.value);
        }
        const location = response.headers.get('location');
        hops.push({ url: url.href, status: response.status, location, setCookies });
        if (!location || response.status < 300 || response.status >= 400) return { finalUrl: url, hops };
        url = new URL(location, url);
      }
      throw new Error(`more than ${maxHops} redirects: ${JSON.stringify(hops)}`);
    },
  };
}

/** What a sign-in brought back to the frontend: ?oauth_code or ?oauth_error, and the path. */
export function outcomeOf({ finalUrl }: Navigation) {
  return {
    origin: finalUrl.origin,
    path: finalUrl.pathname,
    code: finalUrl.searchParams.get('oauth_code'),
    error: finalUrl.searchParams.get('oauth_error'),
    url: finalUrl,
  };
}
