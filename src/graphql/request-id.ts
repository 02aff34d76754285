// Every response carries x-request-id: the client's own (when it looks like an id) or a new one. It
// is the id the logs use, so a client can quote it and an operator find the request.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export function createRequestIds() {
  const ids = new WeakMap<Request, string>();
  const plugin: Plugin = {
    onRequest({ request }) {
      const incoming = request.headers.get('x-request-id');
      ids.set(request, incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID());
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };
  return { plugin, of: (request: Request) => ids.get(request) };
}
