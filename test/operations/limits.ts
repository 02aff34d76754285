// Operations the operation-limit tests send that are served (test/query-limits.test.ts); the ones that
// are refused on purpose stay strings there. `npm run codegen` types each graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

/** Which name the schema gives the feed's connection (the fragments of a cost test name it). */
export const CONNECTION_TYPE = graphql(`
  query ConnectionType { __type(name: "PostConnection") { name } }
`);

export const MY_POSTS_PAGE = graphql(`
  query MyPostsPage($n: Int) { me { posts(first: $n) { edges { cursor } pageInfo { hasNextPage } } } }
`);

export const LARGE_FEED_PAGE = graphql(`
  query LargeFeedPage($n: Int) { feed(first: $n) { edges { node { id caption url author { username } } } } }
`);

/** Two fields in one operation, one of them password work (and the other too when it sets a password). */
export const UPDATE_ME_AND_DELETE_ME = graphql(`
  mutation UpdateMeAndDeleteMe($input: UpdateMeInput!, $password: String!) {
    updateMe(input: $input) { id } deleteMe(password: $password)
  }
`);
