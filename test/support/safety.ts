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
