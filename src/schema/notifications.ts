// Notifications: the Notification type, the viewer's list and unread count, marking them read, and
// notificationAdded (live, src/schema/live.ts). Made by the like, comment and follow services
// (src/services/social/notifications.ts).
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from '../builder.ts';
import type { SignedInContext } from '../context.ts';
import { keysetArgs, type Notification } from '../db/index.ts';
import type { LiveEvent } from '../services/live/hub.ts';
import type { StreamItem } from '../services/live/stream.ts';
import { idOf } from './ids.ts';
import { eventValue, openStream } from './live.ts';
import { paged, resolveKeysetConnection, SOCIAL_PAGE } from './pagination.ts';

export const NotificationKindEnum = builder.enumType('NotificationKind', {
  description: 'What a notification is about.',
  values: {
    LIKE: { description: 'Someone liked a post of the viewer.' },
    COMMENT: { description: 'Someone commented on a post of the viewer.' },
    FOLLOW: { description: 'Someone followed the viewer.' },
  } as const,
});

export const NotificationRef = builder.prismaNode('Notification', {
  id: { field: 'id' },
  description:
    'Someone liked or commented on a post of the viewer, or followed them. None for what the viewer does to their own; gone when it is taken back (unlike, deleted comment, unfollow).',
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, description: 'What happened.', resolve: (n) => n.kind }),
    actor: t.relation('actor', { description: 'Who did it.' }),
    post: t.relation('post', { nullable: true, description: 'The post liked or commented on; null for FOLLOW.' }),
    comment: t.relation('comment', { nullable: true, description: 'The comment, for COMMENT; null otherwise.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it happened.' }),
    read: t.exposeBoolean('read', { description: 'Whether the viewer marked it read (markNotificationsRead).' }),
  }),
});

export const NotificationConnection = builder.connectionObject(
  { type: NotificationRef, name: 'NotificationConnection', description: 'A page of notifications, newest first.' },
  { name: 'NotificationEdge' },
);

builder.queryFields((t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      authScopes: { signedIn: true },
      description: `The viewer's notifications, newest first. Signed in. first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (_root, args, context, info) =>
        resolveKeysetConnection(args, SOCIAL_PAGE, 'newest-first', async (window) => {
          const { conditions, orderBy, take } = keysetArgs(window);
          return context.db.notification.findMany({
            ...queryFromInfo({ context, info, typeName: 'Notification', path: ['edges', 'node'] }),
            where: {
              AND: [context.services.notifications.visible((context as SignedInContext).viewer.id), ...conditions],
            },
            orderBy,
            take,
          }) as Promise<Notification[]>;
        }),
    },
    NotificationConnection,
  ),
  unreadNotificationCount: t.withAuth({ signedIn: true }).int({
    description: "How many of the viewer's notifications are not read. Signed in.",
    resolve: (_root, _args, context) => context.services.notifications.unreadCount(context.viewer.id),
  }),
}));

builder.mutationFields((t) => ({
  markNotificationsRead: t.withAuth({ signedIn: true }).int({
    description:
      "Marks the viewer's notifications read: all of them, or with upTo that one and every older one. Returns how many were unread. Signed in. Errors: BAD_USER_INPUT (not a Notification id), NOT_FOUND (not one of the viewer's).",
    args: {
      upTo: t.arg.globalID({
        required: false,
        description: 'A notification of the viewer: it and those older are marked. Without it, all are.',
      }),
    },
    resolve: (_root, { upTo }, context) =>
      context.services.notifications.markRead(context.viewer.id, upTo ? idOf(upTo, 'Notification', 'upTo') : null),
  }),
}));

builder.subscriptionFields((t) => ({
  notificationAdded: t.withAuth({ signedIn: true }).field({
    type: NotificationRef,
    description:
      "The viewer's new notifications, as they are made, on any instance. Signed in (otherwise the first event is UNAUTHENTICATED and the stream ends). Errors: RATE_LIMITED.",
    subscribe: (_root, _args, context) => openStream(context, { kind: 'notifications' }),
    resolve: (item: StreamItem<LiveEvent>, _args, context) =>
      eventValue<Extract<LiveEvent, { __typename: 'NotificationAdded' }>>(item, context).notification,
  }),
}));
