// Blocks, reports and moderation as a client sends them, for the safety tests (test/blocks.test.ts,
// test/reports.test.ts, test/moderation.test.ts, test/instances/safety-caches.test.ts).

export const BLOCK = /* GraphQL */ `
  mutation Block($userId: ID!) { blockUser(userId: $userId) { id viewerBlocks viewerFollows followerCount } }
`;
export const UNBLOCK = /* GraphQL */ `
  mutation Unblock($userId: ID!) { unblockUser(userId: $userId) { id viewerBlocks viewerFollows followerCount } }
`;
export type BlockData = {
  blockUser: { id: string; viewerBlocks: boolean; viewerFollows: boolean; followerCount: number };
};
export type UnblockData = {
  unblockUser: { id: string; viewerBlocks: boolean; viewerFollows: boolean; followerCount: number };
};

export const REPORT_POST = /* GraphQL */ `
  mutation ReportPost($postId: ID!, $reason: ReportReason!, $note: String) {
    reportPost(postId: $postId, reason: $reason, note: $note)
  }
`;
export const REPORT_COMMENT = /* GraphQL */ `
  mutation ReportComment($commentId: ID!, $reason: ReportReason!, $note: String) {
    reportComment(commentId: $commentId, reason: $reason, note: $note)
  }
`;
export const REPORT_USER = /* GraphQL */ `
  mutation ReportUser($userId: ID!, $reason: ReportReason!, $note: String) {
    reportUser(userId: $userId, reason: $reason, note: $note)
  }
`;

export const QUEUE = /* GraphQL */ `
  query Queue($first: Int, $after: String) {
    moderationQueue(first: $first, after: $after) {
      edges { cursor node { reportCount reasons hidden firstReportedAt
        target { __typename ... on Post { id } ... on Comment { id } ... on User { id } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
export type QueueItem = {
  reportCount: number;
  reasons: string[];
  hidden: boolean;
  firstReportedAt: string;
  target: { __typename: 'Post' | 'Comment' | 'User'; id: string };
};
export type QueueData = {
  moderationQueue: {
    edges: { cursor: string; node: QueueItem }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
export const MODERATE = /* GraphQL */ `
  mutation Moderate($targetId: ID!, $action: ModerationAction!, $note: String) {
    moderate(targetId: $targetId, action: $action, note: $note) {
      reportCount reasons hidden firstReportedAt target { __typename ... on Post { id } ... on Comment { id } ... on User { id } }
    }
  }
`;
export type ModerateData = { moderate: QueueItem };
export const LOG = /* GraphQL */ `
  query Log($first: Int, $after: String) {
    moderationLog(first: $first, after: $after) {
      edges { node { moderator { id } action targetId reasons reportCount note createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
export type LogEntry = {
  moderator: { id: string } | null;
  action: string;
  targetId: string;
  reasons: string[];
  reportCount: number;
  note: string | null;
  createdAt: string;
};
export type LogData = {
  moderationLog: { edges: { node: LogEntry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};
