// Live updates: subscriptions over Server-Sent Events (yoga's own SSE, and the graphql-sse protocol),
// fed on every instance by the change channel (src/services/live/hub.ts). Each needs a signed-in, active
// viewer: otherwise the first event is UNAUTHENTICATED and the stream ends.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { type Context, forgetReads, type SignedInContext } from '../context.ts';
import type { Comment, Post } from '../db/index.ts';
import { notFound } from '../errors.ts';
import type { Interest } from '../services/live/audience.ts';
import type { LiveEvent } from '../services/live/hub.ts';
import type { StreamItem } from '../services/live/stream.ts';
import { canSeeWritten } from '../services/safety/visibility.ts';
import { CommentRef } from './comments.ts';
import { idOf } from './ids.ts';
import { PostRef } from './post.ts';

type EventOf<Name extends LiveEvent['__typename']> = Extract<LiveEvent, { __typename: Name }>;

const PostAdded = builder.objectRef<EventOf<'PostAdded'>>('PostAdded').implement({
  description: 'A post was published.',
  fields: (t) => ({
    post: t.field({ type: PostRef, description: 'The new post, with every Post field.', resolve: (e) => e.post }),
  }),
});

const PostRemoved = builder.objectRef<EventOf<'PostRemoved'>>('PostRemoved').implement({
  description: 'A post was deleted.',
  fields: (t) => ({
    id: t.id({ description: 'The id the deleted post had.', resolve: (e) => encodeGlobalID('Post', e.postId) }),
  }),
});

const PostCountsChanged = builder.objectRef<EventOf<'PostCountsChanged'>>('PostCountsChanged').implement({
  description: 'A post was liked or unliked, or a comment on it added or deleted.',
  fields: (t) => ({
    post: t.field({
      type: PostRef,
      description: 'The post, with likeCount and commentCount read when the event is sent.',
      resolve: (e) => e.post,
    }),
  }),
});

const CommentAdded = builder.objectRef<EventOf<'CommentAdded'>>('CommentAdded').implement({
  description: 'A comment was added to the post.',
  fields: (t) => ({
    comment: t.field({ type: CommentRef, description: 'The new comment.', resolve: (e) => e.comment as Comment }),
  }),
});

const CommentRemoved = builder.objectRef<EventOf<'CommentRemoved'>>('CommentRemoved').implement({
  description: 'A comment on the post was deleted.',
  fields: (t) => ({
    id: t.id({
      description: 'The id the deleted comment had.',
      resolve: (e) => encodeGlobalID('Comment', e.commentId),
    }),
    postId: t.id({ description: 'The post it was on.', resolve: (e) => encodeGlobalID('Post', e.postId) }),
  }),
});

const byTypename = (event: LiveEvent) => event.__typename;

export const FeedEvent = builder.unionType('FeedEvent', {
  description: 'Something that happened in the feed: a post published or deleted.',
  types: [PostAdded, PostRemoved],
  resolveType: byTypename,
});

export const PostActivityEvent = builder.unionType('PostActivityEvent', {
  description: 'Something that happened to one post. PostRemoved is its last event.',
  types: [PostCountsChanged, CommentAdded, CommentRemoved, PostRemoved],
  resolveType: byTypename,
});

/** Opens a stream on this instance for the signed-in viewer (RATE_LIMITED past the limits). */
export function openStream(context: Context, interest: Interest): AsyncIterable<StreamItem<LiveEvent>> {
  const { viewer, sessionId, tokenExpiresAt } = context as SignedInContext;
  return context.services.live.open({
    viewerId: viewer.id,
    sessionId,
    tokenExpiresAt,
    interest,
    drop: context.dropConnection,
  });
}

/** One event's value, read with fresh loaders (counts and the viewer's likes as they are now); an ending error is thrown. */
export function eventValue<T>(item: StreamItem<LiveEvent>, context: Context): T {
  forgetReads(context);
  if ('error' in item) throw item.error;
  const event = item.value;
  if ((event.__typename === 'PostAdded' || event.__typename === 'PostCountsChanged') && event.likedBy) {
    // Read by the hub for every stream at once (src/services/live/hub.ts).
    const { id, likeCount, commentCount } = event.post;
    const viewerHasLiked = event.likedBy.has((context as SignedInContext).viewer.id);
    context.loaders.postFacts.prime(id, { likeCount, commentCount, viewerHasLiked });
  }
  return event as T;
}

builder.subscriptionFields((t) => ({
  feedEvents: t.withAuth({ signedIn: true }).field({
    type: FeedEvent,
    description:
      'Posts published and deleted, as they happen, on any instance. Signed in (otherwise the first event is UNAUTHENTICATED and the stream ends). Errors: RATE_LIMITED (SUBSCRIPTIONS_MAX_PER_USER, SUBSCRIPTIONS_MAX_PER_INSTANCE); UNAUTHENTICATED ends the stream when the session ends or the token expires.',
    args: {
      following: t.arg.boolean({
        defaultValue: false,
        description: 'Only posts of the accounts the viewer follows, and the viewer’s own.',
      }),
    },
    subscribe: (_root, { following }, context) => openStream(context, { kind: 'feed', following: following ?? false }),
    resolve: (item: StreamItem<LiveEvent>, _args, context) =>
      eventValue<EventOf<'PostAdded' | 'PostRemoved'>>(item, context),
  }),
  postActivity: t.withAuth({ signedIn: true }).field({
    type: PostActivityEvent,
    description:
      'What happens to one post: counts changed, comments added and deleted; the stream ends after PostRemoved. Signed in. Errors: BAD_USER_INPUT (not a Post id), NOT_FOUND, RATE_LIMITED.',
    args: { postId: t.arg.globalID({ required: true, description: 'The id of the post.' }) },
    subscribe: async (_root, { postId }, context) => {
      const id = idOf(postId, 'Post', 'postId');
      const post = await context.db.post.findUnique({
        where: { id },
        select: { id: true, authorId: true, hidden: true },
      });
      // A post the viewer may not see (a block, a report) is not there for them.
      if (!post || !canSeeWritten(await context.loaders.hidden(), post)) throw notFound('Post not found.');
      return openStream(context, { kind: 'post', postId: id });
    },
    resolve: (item: StreamItem<LiveEvent>, _args, context) =>
      eventValue<EventOf<'PostCountsChanged' | 'CommentAdded' | 'CommentRemoved' | 'PostRemoved'>>(item, context),
  }),
}));

export type { Post };
