// extensions.code read as the generated ErrorCode type, as a frontend would read it: one helper for
// the GraphQL errors of any client (urql's CombinedError.graphQLErrors, Apollo's CombinedGraphQLErrors.errors).
import { ErrorCode } from './generated/enums.ts';

export { ErrorCode };

/** A GraphQL error as urql and Apollo Client hand it over. */
export interface GraphQLErrorLike {
  readonly extensions?: { readonly [key: string]: unknown } | undefined;
}

/**
 * The code of an error, typed so a switch over it only compiles with codes this API has. A code this
 * client was not generated with (a newer server) reads as undefined, like an error without one.
 */
export function codeOf(error: GraphQLErrorLike | undefined): ErrorCode | undefined {
  const code = error?.extensions?.code;
  return typeof code === 'string' && Object.hasOwn(ErrorCode, code) ? (code as ErrorCode) : undefined;
}
