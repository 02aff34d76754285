// An operation that checks or hashes a password (a field marked `passwordWork`, at most one per
// operation: src/graphql/operation-limits.ts) runs in one of its client's password-check slots
// (PASSWORD_CHECKS_IN_FLIGHT_PER_IP, src/infra/rate-limits/password-checks.ts). With every slot taken
// it is answered RATE_LIMITED at once, before any resolver runs; so every field marked for the one rule
// is held to the other, including fields added later.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
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
          // RATE_LIMITED (an AppError); error masking gives it its code and retryAfterSeconds.
          return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
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
