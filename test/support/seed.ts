// Rows written straight to the database, for tests that need many of them quickly.
import { randomUUID } from 'node:crypto';
import type { TestUser } from './accounts.ts';
import type { TestServer } from './server.ts';

/** Inserts `count` image posts by `author`, a second apart, or all at `createdAt` when given. */
export async function seedPosts(
  server: TestServer,
  author: Pick<TestUser, 'dbId'>,
  count: number,
  createdAt?: Date,
): Promise<void> {
  const base = Date.now();
  await server.db.post.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      authorId: author.dbId,
      caption: `seed ${i}`,
      fileType: 'IMAGE' as const,
      fileName: `seed-${i}.jpg`,
      mimeType: 'image/jpeg',
      size: 1,
      storage: 'local',
      storageKey: `${author.dbId}/${randomUUID()}.jpg`,
      createdAt: createdAt ?? new Date(base - i * 1000),
    })),
  });
  await server.wroteBehindTheApp();
}
