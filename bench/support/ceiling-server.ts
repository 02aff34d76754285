// The ceiling bench/feed.ts compares the real server with: the same feed response shapes (plain and social), built with
// the same packages (graphql-yoga, Pothos with the relay plugin, jsonwebtoken), from arrays in memory.
// Each request still parses and validates the query, verifies the bearer token and looks its viewer
// up, pages with resolveCursorConnection and encodes global ids and cursors; only the database (and the
// app's armor limits, request ids and error classification) are missing.
// Run by the bench: node --import tsx bench/support/ceiling-server.ts, with PORT, HOST and the JWT_* settings.
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import jwt from 'jsonwebtoken';

const env = (name: string, fallback?: string) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
// Made once, as the app does: jsonwebtoken would otherwise rebuild the key on every verify.
const secret = createSecretKey(Buffer.from(env('JWT_SECRET'), 'utf8'));
const issuer = env('JWT_ISSUER');
const audience = env('JWT_AUDIENCE');
const publicUrl = `http://localhost:${env('PORT')}`;

interface User {
  id: string;
  username: string;
}
interface Post {
  id: string;
  authorId: string;
  caption: string;
  createdAt: Date;
  fileType: 'IMAGE' | 'VIDEO';
  storageKey: string;
}

// The same data set as the real targets: posts by AUTHORS authors, and VIEWERS signed-in viewers
// whose tokens carry sub = viewer-<i> (the bench signs them with the same secret).
const users = new Map<string, User>();
const authors = Array.from({ length: Number(env('AUTHORS', '50')) }, (_, i) => ({
  id: randomUUID(),
  username: `author_${i}`,
}));
for (const user of authors) users.set(user.id, user);
for (let i = 0; i < Number(env('VIEWERS', '50')); i += 1)
  users.set(`viewer-${i}`, { id: `viewer-${i}`, username: `viewer_${i}` });
const now = Date.now();
// Newest first, as the feed's index returns them.
const posts: Post[] = Array.from({ length: Number(env('POSTS', '2000')) }, (_, i) => ({
  id: randomUUID(),
  authorId: authors[i % authors.length]!.id,
  caption: `post ${i}`,
  createdAt: new Date(now - Math.floor(i / 3) * 1000),
  fileType: 'IMAGE',
  storageKey: `${authors[i % authors.length]!.id}/${randomUUID()}.jpg`,
}));
// The social facts the "social" shape asks for, kept in memory as the app keeps them in its tables:
// each viewer follows 10 authors and likes 50 posts, as bench/support/seed.ts seeds the app.
const likeCount = new Map<string, number>();
const followerCount = new Map<string, number>();
const likes = new Set<string>();
const follows = new Set<string>();
const pair = (a: string, b: string) => `${a}|${b}`;
for (const viewer of users.keys()) {
  if (!viewer.startsWith('viewer-')) continue;
  for (let i = 0; i < 10; i += 1) {
    const author = authors[Math.floor(Math.random() * authors.length)]!.id;
    if (follows.has(pair(viewer, author))) continue;
    follows.add(pair(viewer, author));
    followerCount.set(author, (followerCount.get(author) ?? 0) + 1);
  }
  for (let i = 0; i < 50; i += 1) {
    const post = posts[Math.floor(Math.random() * posts.length)]!.id;
    if (likes.has(pair(viewer, post))) continue;
    likes.add(pair(viewer, post));
    likeCount.set(post, (likeCount.get(post) ?? 0) + 1);
  }
}
const positionOf = new Map<string, number>();
const cursorOf = (post: Post) => Buffer.from(`${post.createdAt.toISOString()}|${post.id}`).toString('base64url');
for (const [i, post] of posts.entries()) positionOf.set(cursorOf(post), i);

interface Context {
  viewer: User | null;
}

function viewerOf(authorization: string | null): User | null {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer, audience });
    return typeof claims === 'object' && typeof claims.sub === 'string' ? (users.get(claims.sub) ?? null) : null;
  } catch {
    return null;
  }
}

interface Types {
  Context: Context;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
}
// Pothos plugins declare their builder options globally, and src/builder.ts is in the same TypeScript
// program: without the cast, tsc would ask this builder for the prisma and scopeAuth plugins' options too.
const builder = new SchemaBuilder<Types>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin],
  relay: { clientMutationId: 'omit', cursorType: 'String', nodeQueryOptions: false, nodesQueryOptions: false },
} as unknown as ConstructorParameters<typeof SchemaBuilder<Types>>[0]);

builder.scalarType('DateTime', {
  serialize: (value) => value.toISOString(),
  parseValue: (value) => new Date(value as string),
});

const FileType = builder.enumType('FileType', { values: ['IMAGE', 'VIDEO'] as const });

const UserRef = builder.objectRef<User>('User');
builder.node(UserRef, {
  id: { resolve: (user) => user.id },
  fields: (t) => ({
    username: t.exposeString('username'),
    avatarUrl: t.string({ nullable: true, args: { size: t.arg.int() }, resolve: () => null }),
    followerCount: t.int({ resolve: (user) => followerCount.get(user.id) ?? 0 }),
    viewerFollows: t.boolean({
      resolve: (user, _args, context) => follows.has(pair(context.viewer?.id ?? '', user.id)),
    }),
  }),
});

const PostRef = builder.objectRef<Post>('Post');
builder.node(PostRef, {
  id: { resolve: (post) => post.id },
  fields: (t) => ({
    caption: t.exposeString('caption', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    fileType: t.expose('fileType', { type: FileType }),
    url: t.string({ resolve: (post) => `${publicUrl}/media/${post.storageKey}` }),
    author: t.field({ type: UserRef, resolve: (post) => users.get(post.authorId)! }),
    likeCount: t.int({ resolve: (post) => likeCount.get(post.id) ?? 0 }),
    commentCount: t.int({ resolve: () => 0 }),
    viewerHasLiked: t.boolean({
      resolve: (post, _args, context) => likes.has(pair(context.viewer?.id ?? '', post.id)),
    }),
  }),
});

builder.queryType({
  fields: (t) => ({
    feed: t.connection({
      type: PostRef,
      resolve: (_root, args, context) => {
        if (!context.viewer) throw new GraphQLError('Sign in to do this.', { extensions: { code: 'UNAUTHENTICATED' } });
        return resolveCursorConnection<Promise<Post[]>>(
          { args, defaultSize: 20, maxSize: 100, toCursor: cursorOf },
          async ({ after, limit, inverted }) => {
            if (inverted) throw new GraphQLError('Only first/after paging is implemented here.');
            const start = after === undefined ? 0 : (positionOf.get(after) ?? posts.length) + 1;
            return posts.slice(start, start + limit);
          },
        );
      },
    }),
  }),
});

const yoga = createYoga<object, Context>({
  schema: builder.toSchema(),
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  logging: 'error',
  context: ({ request }) => ({ viewer: viewerOf(request.headers.get('authorization')) }),
});

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  void yoga.requestListener(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env('PORT')), env('HOST', '127.0.0.1'));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
