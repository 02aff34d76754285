// Every HTTP-level answer yoga gives carries a JSON error body with a code: malformed GET parameters
// are a 400 (yoga lets their JSON.parse error through as a 500), and the empty 404, 406 and 415 get a
// body saying what was wrong. And no answer is stored by a cache: a GET query (urql sends queries as
// GET) is answered for the token it bears, which a shared cache would hand to the next person.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

const EMPTY_ANSWERS: Record<number, { code: ErrorCode; message: string }> = {
  404: { code: ErrorCode.NOT_FOUND, message: 'Nothing here. The GraphQL endpoint is /graphql.' },
  406: { code: ErrorCode.NOT_ACCEPTABLE, message: 'Accept application/graphql-response+json or application/json.' },
  415: {
    code: ErrorCode.UNSUPPORTED_CONTENT_TYPE,
    message: 'Send application/json, or multipart/form-data for uploads.',
  },
};

export function useHttpAnswers(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw createGraphQLError(`Malformed request: variables and extensions must be JSON (${error.message}).`, {
            extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
          });
        }
      });
    },
    onResponse({ response, setResponse, fetchAPI }) {
      if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
      const answer = EMPTY_ANSWERS[response.status];
      if (!answer || response.headers.get('content-type')) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/graphql-response+json; charset=utf-8');
      setResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message: answer.message, extensions: { code: answer.code } }] }),
          {
            status: response.status,
            headers,
          },
        ),
      );
    },
  };
}
