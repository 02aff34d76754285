// The database as the rest of the code sees it: the client, the model types and what a failed query
// means. Only this folder (and src/builder.ts, for Pothos) reads src/generated.
export type { FileRemoval, Post, Prisma, Session, User } from '../generated/sqlite/client.ts';
export { createDb, type Db, type DbDeps, type Provider, providerOf } from './client.ts';
export { type FeedAuthor, type FeedPosition, type FeedRow, type FeedWindow, readFeedPage } from './post-pages.ts';
export {
  isDatabaseUnreachable,
  isForeignKeyViolation,
  isRecordNotFound,
  isUniqueViolation,
  uniqueViolationFields,
} from './query-errors.ts';
export { isSqliteBusy } from './sqlite-busy.ts';
