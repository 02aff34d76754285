// An operation that checks or hashes a password (a field marked `passwordWork`, at most one per
// operation: src/graphql/operation-limits.ts) runs in one of its client's password-check slots
// (PASSWORD_CHECKS_IN_FLIGHT_PER_IP, src/infra/rate-limits/password-checks-in-flight.ts). With every
// slot taken it is answered RATE_LIMITED at once, before any resolver runs; so every field marked for
// the one rule is held to the other, including fields added later.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import type { OperationLimitsContext } from './operation-limits.ts';

export function usePasswordCheckSlots(): Plugin<Context & OperationLimitsContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as Context & OperationLimitsContext;
      if (!context.operationDoesPasswordWork) return;
      setExecuteFn(async (executeArgs) => {
        let release: () => Promise<void>;
        try {
          release = await context.services.passwordChecks.acquire(context.clientIp);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // Coded like any refusal before execution: a plain GraphQLError, which yoga answers as the
          // client's doing (with an AppError as its originalError it would be a 500).
          return {
            errors: [new GraphQLError(error.message, { extensions: { ...error.extensions, code: error.code } })],
          };
        }
        try {
          return await executeFn(executeArgs);
        } finally {
          await release();
        }
      });
    },
  };
}
