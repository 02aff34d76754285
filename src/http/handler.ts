// What happens to a request before (and instead of) yoga: health, media, the CSRF check, uploads parsed
// by graphql-upload-ts, and other bodies read under their cap.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import type { Metrics } from '../graphql/metrics.ts';
import type { GraphQLServer } from '../graphql/server.ts';
import type { Health } from '../infra/health.ts';
import { createRenditions } from '../infra/media/renditions.ts';
import type { Logger } from '../logger.ts';
import type { OAuthService } from '../services/accounts/oauth/oauth.ts';
import { createErrorAnswers } from './answer.ts';
import { bodyForYoga, drainAfterAnswer, readBody } from './body.ts';
import { limitBodyTime } from './body-timeout.ts';
import { clientIpOf } from './client-ip.ts';
import { createCors } from './cors.ts';
import { CSRF_MESSAGE, isUnguardedSimplePost } from './csrf.ts';
import { isMediaRequest, serveMedia } from './media.ts';
import { declaredUploadBytes, isMultipart, MULTIPART_OVERHEAD_BYTES, parseMultipart } from './multipart.ts';
import { createOAuthRoutes } from './oauth-routes.ts';
import { normalizeContentType, normalizeRequestTarget } from './request-head.ts';
import { CSRF_ORIGIN_MESSAGE, nodeHeaders, refusesCookieRequest } from './session-cookie.ts';

type BodyCarrier = IncomingMessage & { body?: object };

/** Whether the request carries `Authorization: Bearer <token>`; any request does when there is no token. */
function bearsToken(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const sent = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

export function createRequestHandler({
  config,
  yoga,
  oauth,
  logger,
  metrics,
  health,
}: {
  config: Config;
  yoga: GraphQLServer;
  /** Sign-in with a provider: its browser routes (src/http/oauth-routes.ts). */
  oauth: OAuthService;
  logger: Logger;
  /** Null when METRICS=false: then /metrics is a 404 like any unknown path. */
  metrics: Metrics | null;
  /** What GET /health checks. */
  health: Health;
}) {
  const cors = createCors(config.corsOrigins);
  const media = {
    uploadDir: config.uploadDir,
    renditions: createRenditions({
      maxPixels: config.media.imageMaxPixels,
      heicMaxPixels: config.media.heicMaxPixels,
      logger,
    }),
  };
  const cookieOrigins = { allowed: config.corsOrigins, ownOrigin: new URL(config.publicUrl).origin };
  const sendError = createErrorAnswers(metrics?.countError);
  const oauthRoutes = createOAuthRoutes({ config, oauth, logger, sendError });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Whatever answers this request, a body the client is still sending gets read to the end.
    drainAfterAnswer(req, res, config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES);
    // And within UPLOAD_TIMEOUT_SECONDS, whoever is reading it.
    limitBodyTime(req, res, config.uploadTimeoutSeconds, sendError);
    // Every answer below carries the CORS headers, early refusals included; preflights end here.
    if (cors.handle(req, res)) return;
    if (!normalizeRequestTarget(req)) {
      return sendError(res, 400, ErrorCode.BAD_REQUEST, 'The Host header and the request target do not make a URL.');
    }
    normalizeContentType(req);
    const url = req.url ?? '/';
    if (url === '/health' || url.startsWith('/health?')) {
      const down = await health.down();
      if (down.length === 0) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      res
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' })
        .end(JSON.stringify({ status: 'unavailable', down }));
      return;
    }
    if (isMediaRequest(url)) return serveMedia(req, res, media);
    if (oauthRoutes.matches(url)) return oauthRoutes.handle(req, res, clientIpOf(req, config.trustProxyHops));
    if (metrics && (url === '/metrics' || url.startsWith('/metrics?'))) {
      if (!bearsToken(req, config.metricsToken)) {
        return sendError(
          res,
          401,
          ErrorCode.UNAUTHENTICATED,
          'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.',
        );
      }
      res.writeHead(200, { 'content-type': metrics.contentType }).end(await metrics.render());
      return;
    }
    // Before a byte of the body is read: a request the session cookie signs, from a page this API does
    // not trust, does nothing at all (an upload is not even stored).
    if (refusesCookieRequest(nodeHeaders(req.headers), config.sessions.cookie, cookieOrigins)) {
      return sendError(res, 403, ErrorCode.CSRF_REJECTED, CSRF_ORIGIN_MESSAGE);
    }
    if (isUnguardedSimplePost(req)) return sendError(res, 403, ErrorCode.CSRF_HEADER_REQUIRED, CSRF_MESSAGE);
    let uploadBytes: number | null = null;
    if (isMultipart(req)) {
      uploadBytes = declaredUploadBytes(req, config.maxUploadBytes);
      const operations = await parseMultipart(req, res, config.maxUploadBytes, sendError);
      if (!operations) return;
      // @whatwg-node/server hands a pre-parsed body to yoga as JSON, Upload objects intact.
      (req as BodyCarrier).body = operations;
      // The length was the whole upload's, already read and limited above; yoga would hold it against
      // its 25 MB JSON body limit and refuse every upload over 25 MB.
      delete req.headers['content-length'];
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Read under the cap before yoga parses it: a 5 MB "login" is refused without being held.
      const read = await readBody(req, config.maxJsonBytes);
      // The connection is gone (the client left, or its body took too long and was answered): no one to answer.
      if ('cutOff' in read) return;
      if ('tooLarge' in read) {
        const message = `The request body is larger than the ${config.maxJsonBytes} byte limit.`;
        return sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, message);
      }
      (req as BodyCarrier).body = bodyForYoga(req.headers['content-type'], read.body);
    }
    // Yoga's server context: the request and response, the client's address for the rate limits, and
    // the most an upload's file can be, for the upload quota.
    await yoga.handle(req, res, { clientIp: clientIpOf(req, config.trustProxyHops), uploadBytes });
  }

  return function listener(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((error) => {
      logger.error({ url: req.url, error }, 'request failed');
      if (!res.headersSent) sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.');
      else res.destroy();
    });
  };
}
