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
