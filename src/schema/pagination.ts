// Keyset pagination for posts on (createdAt, id), newest first. A cursor holds both values, so paging
// has no duplicates or gaps when many posts share a timestamp or the cursor's own post is deleted.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';
import { badInput } from '../errors.ts';
import type { Post, Prisma } from '../generated/sqlite/client.ts';

export const PAGE_SIZE = { defaultSize: 20, maxSize: 100 };

interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (rest.length || !id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) {
    throw badInput('Malformed cursor.', { field: 'cursor' });
  }
  return { createdAt, id };
}

/** Posts strictly older (`lt`) or newer (`gt`) than the position, in (createdAt, id) order. */
function beyond({ createdAt, id }: Position, op: 'lt' | 'gt'): Prisma.PostWhereInput {
  return { OR: [{ createdAt: { [op]: createdAt } }, { createdAt, id: { [op]: id } }] };
}

export function resolvePostConnection(
  context: Context,
  info: GraphQLResolveInfo,
  args: DefaultConnectionArguments,
  where: Prisma.PostWhereInput = {},
) {
  // Decode first, so a malformed cursor is refused before any query runs.
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const toCursor = (post: Post) => encodeCursor(post);
  return resolveCursorConnection<Promise<Post[]>>({ args, ...PAGE_SIZE, toCursor }, async ({ limit, inverted }) => {
    // Loads what the query selects under edges.node, authors included, in the same round of statements.
    const query = queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] });
    const direction = inverted ? 'asc' : 'desc';
    return context.db.post.findMany({
      ...query,
      where: { AND: [where, ...(after ? [beyond(after, 'lt')] : []), ...(before ? [beyond(before, 'gt')] : [])] },
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: limit,
    });
  });
}
