// What src/http/handler.ts hands yoga with each request: its own file, so the plugins that read it
// (src/graphql/graphiql.ts) need not import the server that uses them.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ServerContext = {
  req?: IncomingMessage;
  res?: ServerResponse;
  clientIp?: string | null;
  /** A multipart request's declared length, at most MAX_UPLOAD_BYTES (src/http/multipart.ts). */
  uploadBytes?: number | null;
};
