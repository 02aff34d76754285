// The Pothos builder and its plugins. Types, queries and mutations live in src/schema/<domain>.ts.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { type GraphQLResolveInfo, isObjectType } from 'graphql';
import type { FileUpload } from 'graphql-upload-ts';
import type { Context, SignedInContext } from './context.ts';
import { isRecordNotFound } from './db/index.ts';
import { AppError, ErrorCode, notFound } from './errors.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';
import { operationLimitsPlugin } from './graphql/operation-limit-options.ts';
import { canSeeNode } from './services/safety/visibility.ts';

/** Where Pothos reports a prismaField resolver that did not use its `query`; silent until src/graphql/server.ts says (in development). */
export const unusedQueries = { report: (_info: GraphQLResolveInfo): void => {} };

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { signedIn: boolean; superuser: boolean };
  AuthContexts: { signedIn: SignedInContext; superuser: SignedInContext };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Upload: { Input: Promise<FileUpload>; Output: never };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, operationLimitsPlugin],
  scopeAuth: {
    // A subscription is authorized once, when it starts: a refused one's first event is the error.
    authorizeOnSubscribe: true,
    // The viewer is resolved when the context is built (src/context.ts), so scopes are plain facts.
    authScopes: (context) => ({ signedIn: context.viewer !== null, superuser: context.viewer?.isSuperuser === true }),
    unauthorizedError: (_parent, context) =>
      context.viewer
        ? new AppError(ErrorCode.FORBIDDEN, 'Not allowed.')
        : new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this.'),
  },
  prisma: {
    client: (context) => context.db,
    dmmf: getDatamodel(),
    // A resolver that ignores the selection it is handed costs a query per row; src/graphql/server.ts reports it
    // while developing.
    onUnusedQuery: (info) => unusedQueries.report(info),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    firstArgOptions: { description: 'How many items, from the start (newest first).' },
    afterArgOptions: { description: 'An endCursor of an earlier page: the items after it.' },
    lastArgOptions: { description: 'How many items, from the end; with before.' },
    beforeArgOptions: { description: 'A startCursor of a later page: the items before it.' },
    // The node field of every edge.
    nodeFieldOptions: { description: 'The item at this place in the page.' },
    nodeQueryOptions: {
      authScopes: { signedIn: true },
      description:
        'Any object by its id: a Post or a User. Signed in. Null when there is none; NOT_FOUND for an id that is no id.',
      args: { id: { description: 'A global id, as an object’s id field gives it.' } },
      // An id of no node, or of a row that is gone, is simply not there: null, as the Relay spec has it.
      resolve: async (_root, { id }, context, info, resolveNode) => {
        const type = info.schema.getType(id.typename);
        if (!isObjectType(type) || !type.getInterfaces().some((node) => node.name === 'Node')) return null;
        let node: unknown;
        try {
          node = await resolveNode(id);
        } catch (error) {
          if (isRecordNotFound(error)) return null;
          throw error;
        }
        // What the viewer may not see is not there for them either (src/services/safety/visibility.ts).
        const visible = await canSeeNode(
          await context.loaders.hidden(),
          id.typename,
          node as Record<string, unknown> | null,
          (postId) =>
            context.db.post.findUnique({ where: { id: postId }, select: { id: true, authorId: true, hidden: true } }),
        );
        return visible ? (node as never) : null;
      },
    },
    nodesQueryOptions: false,
    decodeGlobalID: (globalID) => {
      const decoded = Buffer.from(globalID, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      // No id this server makes holds U+0000, and PostgreSQL text cannot: a query with one fails.
      if (separator <= 0 || separator === decoded.length - 1 || decoded.includes('\0')) {
        throw notFound('No object has this id.');
      }
      return { typename: decoded.slice(0, separator), id: decoded.slice(separator + 1) };
    },
  },
});
