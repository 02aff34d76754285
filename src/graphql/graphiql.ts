// GraphiQL as this server serves it: every asset inline (no CDN, so it works offline), opening on a
// walkthrough of the API and a headers template for the token.
import type { GraphiQLOptions } from 'graphql-yoga';

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
 * yoga's renderGraphiQL option. yoga's own page loads GraphiQL's CSS, script and Monaco workers from a CDN;
 * @graphql-yoga/render-graphiql inlines all of them (and the favicon, as a data: URL) in one ~9 MB page.
 * The package is imported on the first page asked for, so a server with GraphiQL off never loads it, and
 * the page is built once per server (its options are the same on every request).
 */
export function createGraphiQLRenderer(): (options: GraphiQLOptions) => Promise<string> {
  let page: Promise<string> | undefined;
  return (options) => {
    page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    return page;
  };
}
