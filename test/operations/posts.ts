// Posts as the API tests send them: `npm run codegen` types each graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

export const DELETE_POST = graphql(`
  mutation DeletePost($id: ID!) { deletePost(id: $id) }
`);

export const UPDATE_CAPTION = graphql(`
  mutation UpdateCaption($id: ID!, $caption: String) { updatePost(id: $id, caption: $caption) { id caption } }
`);

export const FEED_IDS = graphql(`
  query FeedIds { feed(first: 100) { edges { node { id } } } }
`);

export const FEED_CURSORS = graphql(`
  query FeedCursors($after: String) { feed(first: 30, after: $after) { edges { cursor node { id } } } }
`);

/** A feed page with each post's author (test/feed.test.ts). */
export const FEED = graphql(`
  query Feed($first: Int, $after: String) {
    feed(first: $first, after: $after) {
      edges { cursor node { id caption isOwner author { id username email } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const USER_POSTS = graphql(`
  query UserPosts($id: ID!) {
    node(id: $id) { __typename ... on User { username email posts(first: 2) {
      edges { node { caption author { id } } } pageInfo { hasNextPage } } } }
  }
`);

export const POST_AUTHOR = graphql(`
  query PostAuthor($id: ID!) { post(id: $id) { id author { username } } }
`);

export const POST_ID = graphql(`
  query PostId($id: ID!) { post(id: $id) { id } }
`);

/** One author's posts either way (test/keyset.test.ts). */
export const AUTHOR_POSTS_PAGE = graphql(`
  query AuthorPostsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) { ... on User { posts(first: $first, after: $after, last: $last, before: $before) {
      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }
  }
`);

/** A connection nested under a list: each feed post's author's posts, without and with their authors. */
export const NESTED_POSTS = graphql(`
  query NestedPosts($first: Int) {
    feed(first: $first) {
      edges { node { id author { id posts(first: 5) {
        edges { node { id caption } } pageInfo { hasNextPage } } } } }
    }
  }
`);

export const NESTED_POSTS_WITH_AUTHORS = graphql(`
  query NestedPostsWithAuthors($first: Int) {
    feed(first: $first) {
      edges { node { id author { id posts(first: 5) {
        edges { node { id caption author { username } } } pageInfo { hasNextPage } } } } }
    }
  }
`);

/** A feed page of ids and captions (test/instances/uploads-and-registrations.test.ts reads it across instances). */
export const FEED_CAPTIONS = graphql(`
  query FeedCaptions($first: Int, $after: String) {
    feed(first: $first, after: $after) { edges { node { id caption } } pageInfo { hasNextPage endCursor } }
  }
`);

/** The first feed page's ids and authors (test/instances/caches.test.ts). */
export const FEED_AUTHORS = graphql(`
  query FeedAuthors { feed(first: 50) { edges { node { id author { username } } } } }
`);

/** The upload rules and what is left of the viewer's limits (test/upload-limits.test.ts). */
export const UPLOAD_LIMITS = graphql(`
  query UploadLimits {
    uploadLimits { maxBytes acceptedMimeTypes captionMaxLength remainingUploadsThisHour remainingBytesToday }
  }
`);
