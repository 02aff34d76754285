// The CSRF rule for mutations signed by the session cookie (src/http/session-cookie.ts), which needs the
// operation: its type is noted once the document is valid, before the context is built, so the context
// neither looks the session up nor renews it for a mutation that will be refused; then nothing runs.
import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import { CSRF_MUTATION_MESSAGE } from '../http/session-cookie.ts';

export type OperationType = 'query' | 'mutation' | 'subscription';

export function useCookieCsrf(): Plugin<{ operationType?: OperationType | null }> {
  return {
    onValidate({ params, context, extendContext }) {
      return ({ valid }) => {
        if (!valid) return;
        const request = (context as { params?: { operationName?: string | null } }).params;
        const operation = getOperationAST(params.documentAST, request?.operationName);
        extendContext({ operationType: operation?.operation ?? null });
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (!(args.contextValue as Partial<Pick<Context, 'csrfRefused'>>).csrfRefused) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(CSRF_MUTATION_MESSAGE, {
            extensions: { code: ErrorCode.CSRF_REJECTED, http: { status: 403 } },
          }),
        ],
      });
    },
  };
}
