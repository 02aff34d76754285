// Column lists and row mappers for the raw SQL reads (src/db/*-pages.ts, src/db/facts.ts): what Prisma
// would select for a model, read back as Prisma would type it (numbers as numbers: PostgreSQL hands some
// back as strings, and SQLite booleans as 0/1 through the adapter are already booleans).
import type { Comment, Post, User } from '../generated/sqlite/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/** A user as any signed-in viewer may see one: every column but the password hash. */
export type PublicUser = Omit<User, 'hashedPassword'>;

const POST_FIELDS = [
  'id',
  'authorId',
  'caption',
  'fileType',
  'fileName',
  'mimeType',
  'size',
  'storage',
  'storageKey',
  'fileId',
  'width',
  'height',
  'duration',
  'blurhash',
  'posterKey',
  'createdAt',
  'likeCount',
  'commentCount',
  'hidden',
] as const satisfies readonly (keyof Post)[];

const USER_FIELDS = [
  'id',
  'email',
  'username',
  'isActive',
  'isSuperuser',
  'isVerified',
  'createdAt',
  'updatedAt',
  'bio',
  'avatarStorage',
  'avatarKey',
  'avatarFileId',
  'followerCount',
  'followingCount',
  'postCount',
  'safetyFilters',
  'hidden',
] as const satisfies readonly (keyof PublicUser)[];

const COMMENT_FIELDS = [
  'id',
  'postId',
  'authorId',
  'body',
  'createdAt',
  'hidden',
] as const satisfies readonly (keyof Comment)[];

const INTEGER = new Set<string>([
  'size',
  'width',
  'height',
  'likeCount',
  'commentCount',
  'followerCount',
  'followingCount',
  'postCount',
  'safetyFilters',
]);
const FLOAT = new Set<string>(['duration']);
/** Flags that SQLite may hand back as 0/1 from a raw read. */
const BOOLEAN = new Set<string>(['hidden']);

/** `alias."column" AS "prefixcolumn", ...` for a model's fields. */
function columns(alias: string, fields: readonly string[], prefix: string): Prisma.Sql {
  return Prisma.raw(fields.map((field) => `${alias}."${field}" AS "${prefix}${field}"`).join(', '));
}

function read<T>(raw: Record<string, unknown>, fields: readonly string[], prefix: string): T {
  const row: Record<string, unknown> = {};
  for (const field of fields) {
    const value = raw[`${prefix}${field}`];
    row[field] =
      value != null && (INTEGER.has(field) || FLOAT.has(field))
        ? Number(value)
        : BOOLEAN.has(field)
          ? value === true || value === 1 || value === 1n || value === '1'
          : value;
  }
  return row as T;
}

export const postColumns = (alias: string, prefix = '') => columns(alias, POST_FIELDS, prefix);
export const userColumns = (alias: string, prefix = '') => columns(alias, USER_FIELDS, prefix);
export const commentColumns = (alias: string, prefix = '') => columns(alias, COMMENT_FIELDS, prefix);

export const readPost = (raw: Record<string, unknown>, prefix = '') => read<Post>(raw, POST_FIELDS, prefix);
export const readUser = (raw: Record<string, unknown>, prefix = '') => read<PublicUser>(raw, USER_FIELDS, prefix);
export const readComment = (raw: Record<string, unknown>, prefix = '') => read<Comment>(raw, COMMENT_FIELDS, prefix);

/**
 * Posts with their authors, as `p` and `u`, for a read whose WHERE adds `AND ${authorsJoined}`. A CROSS
 * JOIN keeps Post the outer loop on SQLite, so a page walks Post's (createdAt, id) index from its
 * cursor: with statistics (ANALYZE, PRAGMA optimize) SQLite would otherwise scan User and sort every
 * older post of every account. PostgreSQL plans it as the inner join it is.
 */
export const POSTS_WITH_AUTHORS = Prisma.sql`"Post" p CROSS JOIN "User" u`;
export const authorsJoined = Prisma.sql`u."id" = p."authorId"`;
