// Reads batched within one request, so a list field under a list (feed → author → posts) costs one
// statement for the whole list instead of one per row. A request gets fresh loaders (src/context.ts):
// nothing is shared between requests or viewers.
import DataLoader from 'dataloader';
import { type Db, type KeysetWindow, type Post, readPostsByAuthors, windowKey } from '../../db/index.ts';

export function createPostLoaders(db: Db) {
  // One loader per window: aliases may ask different pages of the same field.
  const byAuthorAndWindow = new Map<string, DataLoader<string, Post[]>>();
  return {
    /** The window of an author's posts, read together with every other author's asked in the same tick. */
    postsByAuthor(authorId: string, window: KeysetWindow): Promise<Post[]> {
      const key = windowKey(window);
      let loader = byAuthorAndWindow.get(key);
      if (!loader) {
        loader = new DataLoader(async (authorIds) => {
          const pages = await readPostsByAuthors(db, authorIds, window);
          return authorIds.map((id) => pages.get(id) ?? []);
        });
        byAuthorAndWindow.set(key, loader);
      }
      return loader.load(authorId);
    },
  };
}

export type PostLoaders = ReturnType<typeof createPostLoaders>;
