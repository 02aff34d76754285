// GraphiQL as this server serves it: every asset inline (no CDN, so it works offline), opening on a
// walkthrough of the API and a headers template for the token; compressed, and revalidated by ETag.
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import type { ServerContext } from './server-context.ts';
import { preferredEncoding, type SharedPage, sharedPage } from './shared-page.ts';

/** The editor's content on a first visit (GraphiQL keeps the user's own edits in localStorage after that). */
export const GRAPHIQL_DEFAULT_QUERY = /* GraphQL */ `# Photo feed API
#
# Run the three operations below in order: put the cursor
# inside one and press Ctrl-Enter (the run button asks
# which one to run).
#
# 1. Register creates an account: pick your own email,
#    username and password.
# 2. Login signs in: copy the "token" from its answer.
# 3. In Headers (below this editor), put the token in place
#    of <token from login>, after "Bearer ":
#      {"Authorization": "Bearer eyJhbGciOi..."}
#    then run Feed. Without a token, Feed answers
#    UNAUTHENTICATED.
#
# Posting a photo or video is a multipart request, which
# GraphiQL does not send: see "Walkthrough with curl" in the
# README. The Docs (top icon on the left) describe every type,
# field and error code.

mutation Register {
  register(
    input: { email: "ada@example.com", username: "ada", password: "correct horse battery" }
  ) {
    id
    username
    email
  }
}

mutation Login {
  login(email: "ada@example.com", password: "correct horse battery") {
    token
    expiresAt
    user {
      username
    }
  }
}

query Feed {
  me {
    username
  }
  feed(first: 10) {
    edges {
      node {
        id
        caption
        url
        fileType
        createdAt
        isOwner
        author {
          username
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

/**
 * The headers editor's content on a first visit. "<token from login>" is no bearer token (it has spaces),
 * so until it is replaced requests go out signed out rather than refused.
 */
export const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer <token from login>' }, null, 2);

/**
 * GraphiQL's page, as yoga's renderGraphiQL option and a plugin that sends it compressed.
 *
 * yoga's own page loads GraphiQL's CSS, script and Monaco workers from a CDN;
 * @graphql-yoga/render-graphiql inlines all of them (and the favicon, as a data: URL) in one ~9 MB page.
 * The package is imported on the first page asked for, so a server with GraphiQL off never loads it, and
 * the page is built once per server (its options are the same on every request).
 *
 * Sent as it is, that is 9 MB on every visit. The plugin answers with the page compressed (brotli, or
 * gzip), each form made once, and an ETag: a browser revalidating its copy (If-None-Match) gets a 304.
 */
export function createGraphiQLPage(): {
  render: (options: GraphiQLOptions) => Promise<string>;
  plugin: Plugin<Record<string, unknown>, ServerContext>;
} {
  let page: Promise<SharedPage> | undefined;
  let html: Promise<string> | undefined;
  return {
    render(options) {
      html ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
      page ??= html.then(sharedPage);
      return html;
    },
    plugin: {
      async onResponse({ request, response, serverContext, setResponse, fetchAPI }) {
        // Only the page the renderer built: yoga answers a GET accepting text/html with nothing else.
        if (!page || request.method !== 'GET' || !response.headers.get('content-type')?.startsWith('text/html')) return;
        const shared = await page;
        const encoding = preferredEncoding(request.headers.get('accept-encoding'));
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('etag', shared.etag(encoding));
        // Kept, and asked about again each time: a new release's page replaces it at once.
        headers.set('cache-control', 'no-cache');
        const vary = serverContext.res?.getHeader('vary');
        headers.set('vary', [vary, 'Accept-Encoding'].filter(Boolean).join(', '));
        if (shared.matches(request.headers.get('if-none-match'))) {
          headers.delete('content-type');
          headers.delete('content-length');
          return setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        }
        if (!encoding) return setResponse(new fetchAPI.Response(response.body, { status: 200, headers }));
        headers.set('content-encoding', encoding);
        const body = await shared.encoded(encoding);
        headers.set('content-length', String(body.length));
        setResponse(new fetchAPI.Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers }));
      },
    },
  };
}
