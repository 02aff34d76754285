// The database as the rest of the code sees it: the client, the model types and what a failed query
// means. Only this folder (and src/builder.ts, for Pothos) reads src/generated.
export type {
  Comment,
  FileRemoval,
  Follow,
  Like,
  Notification,
  Post,
  Session,
  User,
} from '../generated/sqlite/client.ts';
export { Prisma } from '../generated/sqlite/client.ts';
export { createDb, type Db, type DbDeps, type Provider, providerOf } from './client.ts';
export { type PostFacts, readPostFacts, readUserFacts, type UserFacts } from './facts.ts';
export {
  HOME_FEED_MERGE_LIMIT,
  type HomeFeedRow,
  homeFeedPageSql,
  readHomeFeedAuthors,
  readHomeFeedPage,
} from './home-feed.ts';
export {
  columnsOf,
  continuedAfter,
  decodeCursor,
  encodeCursor,
  type KeysetWindow,
  keysetArgs,
  keysetCondition,
  keysetOrder,
  type Order,
  type Page,
  type PageArgs,
  type PagePlan,
  type PageSize,
  type Position,
  planPage,
  windowKey,
} from './keyset.ts';
export { deleteLike, insertLike, readPostAuthor } from './likes.ts';
export { type FeedRow, feedPageSql, readFeedPage, readPostsByAuthors } from './post-pages.ts';
export {
  isDatabaseUnreachable,
  isForeignKeyViolation,
  isRecordNotFound,
  isUniqueViolation,
  uniqueViolationFields,
} from './query-errors.ts';
export type { PublicUser } from './rows.ts';
export {
  andVisiblePosts,
  andVisibleUsers,
  type BlockRow,
  deleteBlock,
  deleteFollowsBetween,
  deleteNotificationsBetween,
  type HiddenRows,
  insertBlock,
  isBlockedBetween,
  nothingHiddenFor,
  readBlockedByUser,
  readHiddenFor,
} from './safety.ts';
export {
  type CommentRow,
  readCommentsByPost,
  readFollowersByUser,
  readFollowingByUser,
  readLikersByPost,
  type UserEdgeRow,
} from './social-pages.ts';
export { isSqliteBusy } from './sqlite-busy.ts';
