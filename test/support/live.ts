// Subscription documents and their events, for the live-update tests.

export const FEED_EVENTS = /* GraphQL */ `
  subscription Feed($following: Boolean) {
    feedEvents(following: $following) {
      __typename
      ... on PostAdded { post { id caption isOwner likeCount commentCount viewerHasLiked author { id username } } }
      ... on PostRemoved { id }
    }
  }
`;
export type FeedEvent =
  | {
      __typename: 'PostAdded';
      post: {
        id: string;
        caption: string;
        isOwner: boolean;
        likeCount: number;
        commentCount: number;
        viewerHasLiked: boolean;
        author: { id: string; username: string };
      };
    }
  | { __typename: 'PostRemoved'; id: string };

export const NOTIFICATIONS = /* GraphQL */ `
  query Notifications($first: Int, $after: String) {
    unreadNotificationCount
    notifications(first: $first, after: $after) {
      edges { cursor node { id kind read createdAt actor { id username } post { id likeCount } comment { id body } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
export type NotificationNode = {
  id: string;
  kind: 'LIKE' | 'COMMENT' | 'FOLLOW';
  read: boolean;
  createdAt: string;
  actor: { id: string; username: string };
  post: { id: string; likeCount: number } | null;
  comment: { id: string; body: string } | null;
};
export type NotificationsData = {
  unreadNotificationCount: number;
  notifications: {
    edges: { cursor: string; node: NotificationNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
export const MARK_READ = 'mutation Mark($upTo: ID) { markNotificationsRead(upTo: $upTo) }';
export const NOTIFICATION_ADDED = /* GraphQL */ `
  subscription { notificationAdded { id kind actor { id } post { id } comment { id body } read } }
`;
export const POST_ACTIVITY = /* GraphQL */ `
  subscription Activity($postId: ID!) {
    postActivity(postId: $postId) {
      __typename
      ... on PostCountsChanged { post { id likeCount commentCount viewerHasLiked } }
      ... on CommentAdded { comment { id body author { id } } }
      ... on CommentRemoved { id postId }
      ... on PostRemoved { id }
    }
  }
`;
