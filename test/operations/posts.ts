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
