import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { isObjectType } from 'graphql';
import type { FileUpload } from 'graphql-upload-ts';
import type { Context } from './context.ts';
import { isRecordNotFound } from './db/index.ts';
import { AppError, ErrorCode, notFound } from './errors.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { signedIn: boolean; superuser: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Upload: { Input: Promise<FileUpload>; Output: never };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    // Scopes come from the request's bearer token; the lookup runs once, and only when a field asks.
    authScopes: async (context) => {
      const viewer = await context.viewer();
      return { signedIn: viewer !== null, superuser: viewer?.isSuperuser === true };
    },
    unauthorizedError: (_parent, context) =>
      context.auth.user
        ? new AppError(ErrorCode.FORBIDDEN, 'Not allowed.')
        : new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this.'),
  },
  prisma: {
    client: (context) => context.db,
    dmmf: getDatamodel(),
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: {
      authScopes: { signedIn: true },
      // An id of no node, or of a row that is gone, is simply not there: null, as the Relay spec has it.
      resolve: async (_root, { id }, _context, info, resolveNode) => {
        const type = info.schema.getType(id.typename);
        if (!isObjectType(type) || !type.getInterfaces().some((node) => node.name === 'Node')) return null;
        try {
          return await resolveNode(id);
        } catch (error) {
          if (isRecordNotFound(error)) return null;
          throw error;
        }
      },
    },
    nodesQueryOptions: false,
    decodeGlobalID: (globalID) => {
      const decoded = Buffer.from(globalID, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      if (separator <= 0 || separator === decoded.length - 1) throw notFound('No object has this id.');
      return { typename: decoded.slice(0, separator), id: decoded.slice(separator + 1) };
    },
  },
});
