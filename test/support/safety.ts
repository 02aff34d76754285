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
