// Other users writing while a bench reads: likes and unlikes on the newest posts, and photo uploads,
// through the API (bench/feed.ts's social shape "under writes").
import { accounts, gql, inParallel, login, register, setLike, uploadPhoto } from './graphql.ts';

export const WRITES = { likesPerSecond: 5, uploadsPerSecond: 1, likers: 5 };

/**
 * Other users' likes (WRITES.likesPerSecond, toggling likes on the newest posts) and uploads
 * (WRITES.uploadsPerSecond) through the API, until stopped.
 */
export async function startWriters(url: string) {
  const likers = accounts('liker_', WRITES.likers);
  const uploader = accounts('uploader_', 1)[0]!;
  await inParallel([...likers, uploader], 2, (account) => register(url, account));
  const likerTokens = await inParallel(likers, 2, (account) => login(url, account));
  const uploaderToken = await login(url, uploader);
  const { feed } = await gql<{ feed: { edges: { node: { id: string } }[] } }>(
    url,
    'query { feed(first: 100) { edges { node { id } } } }',
    {},
    likerTokens[0],
  );
  const postIds = feed.edges.map((edge) => edge.node.id);
  const liked = new Set<string>();
  const done = { likes: 0, uploads: 0, failed: 0 };
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>, kind: 'likes' | 'uploads') => {
    const tracked = work.then(
      () => {
        done[kind] += 1;
      },
      (error: Error) => {
        done.failed += 1;
        if (done.failed === 1) console.log(`  a write failed: ${error.message.slice(0, 300)}`);
      },
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  let tick = 0;
  const timer = setInterval(() => {
    const token = likerTokens[tick % likerTokens.length]!;
    const postId = postIds[Math.floor(Math.random() * postIds.length)]!;
    const key = `${token}|${postId}`;
    const like = !liked.has(key);
    if (like) liked.add(key);
    else liked.delete(key);
    track(setLike(url, token, postId, like), 'likes');
    if (tick % Math.round(WRITES.likesPerSecond / WRITES.uploadsPerSecond) === 0)
      track(
        uploadPhoto(url, uploaderToken).then(() => {}),
        'uploads',
      );
    tick += 1;
  }, 1000 / WRITES.likesPerSecond);
  return async () => {
    clearInterval(timer);
    await Promise.all(pending);
    return done;
  };
}
