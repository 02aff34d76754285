// A live event reaches many streams at once (src/services/live/hub.ts hands every stream the same event
// object). graphql-js would run the subscription's selection once per stream: a thousand streams, a
// thousand executions of one answer, all in the same tick, which stalls every other request. Here
// streams whose answer must be the same share one execution per event:
// - the same document and variables, and a selection whose every field reads the same for any viewer
//   (SAME_FOR_EVERY_VIEWER): shared by every stream;
// - anything else (viewerHasLiked, isOwner, email, a connection filtered by blocks...): shared only by
//   the streams of one session, which would each compute the very same answer.
// A field missing from the list is only slower, never shown to the wrong viewer. Decision 0022.
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

/**
 * Fields whose value is the same for every signed-in viewer a live event reaches (the hub already left
 * out the viewers who may not see the event's rows). Schema coordinates: Type.field.
 */
export const SAME_FOR_EVERY_VIEWER: ReadonlySet<string> = new Set([
  'Subscription.feedEvents',
  'Subscription.postActivity',
  'PostAdded.post',
  'PostRemoved.id',
  'PostCountsChanged.post',
  'CommentAdded.comment',
  'CommentRemoved.id',
  'CommentRemoved.postId',
  ...[
    'id',
    'caption',
    'url',
    'srcSet',
    'thumbnailUrl',
    'width',
    'height',
    'duration',
    'blurhash',
    'fileType',
    'fileName',
    'mimeType',
    'size',
    'createdAt',
    'author',
    'likeCount',
    'commentCount',
  ].map((field) => `Post.${field}`),
  ...['id', 'username', 'bio', 'createdAt', 'avatarUrl', 'followerCount', 'followingCount', 'postCount'].map(
    (field) => `User.${field}`,
  ),
  ...['id', 'body', 'createdAt', 'author', 'post'].map((field) => `Comment.${field}`),
]);

interface Sharing {
  /** The document, as text: two requests of one query share, whatever their documents' objects. */
  text: string;
  everyone: boolean;
}

const sharingOf = new WeakMap<DocumentNode, Sharing>();

/** Whether every field the document selects reads the same for any viewer; remembered per document. */
export function sharing(schema: GraphQLSchema, document: DocumentNode): Sharing {
  const known = sharingOf.get(document);
  if (known) return known;
  let everyone = true;
  const types = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(types, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = types.getParentType();
        if (!parent || !SAME_FOR_EVERY_VIEWER.has(`${parent.name}.${node.name.value}`)) everyone = false;
      },
    }),
  );
  const found = { text: print(document), everyone };
  sharingOf.set(document, found);
  return found;
}

type Results = Map<string, Promise<ExecutionResult>>;

/** Executions by event: gone with the event once every stream has read it. */
const executions = new WeakMap<object, Results>();

/** The event an item of a live stream carries (src/services/live/stream.ts), shared by every stream it reached. */
const eventOf = (item: unknown): object | null =>
  typeof item === 'object' && item !== null && 'value' in item && typeof item.value === 'object'
    ? (item.value as object)
    : null;

/** Maps a source stream, passing return() straight through: a stream waiting for its next event still closes at once. */
function mapStream<T, R>(source: AsyncIterator<T>, map: (item: T) => Promise<R>): AsyncIterableIterator<R> {
  const close = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  const mapped: AsyncIterableIterator<R> = {
    async next() {
      const next = await source.next();
      if (next.done) return { value: undefined, done: true };
      try {
        return { value: await map(next.value), done: false };
      } catch (error) {
        await close();
        throw error;
      }
    },
    return: close,
    async throw(error) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}

async function subscribeShared(args: ExecutionArgs) {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const { text, everyone } = sharing(args.schema, args.document);
  const context = args.contextValue as Context;
  const key = [
    everyone ? '' : `session:${context.sessionId ?? ''}`,
    args.operationName ?? '',
    JSON.stringify(args.variableValues ?? {}),
    text,
  ].join('\u0000');
  return mapStream(source[Symbol.asyncIterator](), async (item) => {
    const event = eventOf(item);
    const run = () => execute({ ...args, rootValue: item }) as Promise<ExecutionResult>;
    if (!event) return run();
    let results = executions.get(event);
    if (!results) {
      results = new Map();
      executions.set(event, results);
    }
    let result = results.get(key);
    if (!result) {
      result = Promise.resolve(run());
      results.set(key, result);
    }
    // Each stream its own top-level object: plugins after this one may set fields on it.
    return { ...(await result) };
  });
}

export function useSharedEventExecution(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as Parameters<typeof setSubscribeFn>[0]);
    },
  };
}
