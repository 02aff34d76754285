// Accounts as the API tests send them: `npm run codegen` types each graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

export const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }
  }
`);

export const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }
  }
`);

export const DELETE_ME = graphql(`
  mutation DeleteMe($password: String!) { deleteMe(password: $password) }
`);

export const DELETE_USER = graphql(`
  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }
`);

export const DEACTIVATE_USER = graphql(`
  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }
`);

/** The viewer's account (test/accounts.test.ts); null without a live session. */
export const ME = graphql(`
  query AccountMe { me { id email username isVerified } }
`);

export const REQUEST_RESET = graphql(`
  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }
`);

export const RESET = graphql(`
  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }
`);

export const REQUEST_VERIFY = graphql(`
  mutation RequestVerification($email: String!) { requestVerification(email: $email) }
`);

export const VERIFY = graphql(`
  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email isVerified } }
`);

export const UPDATE_ME = graphql(`
  mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email username isVerified isSuperuser } }
`);

export const UPDATE_USER = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email } }
`);

/** A superuser's reads and writes of any account (test/admin.test.ts). */
export const ADMIN_USER = graphql(`
  query AdminUser($id: ID!) { user(id: $id) { id email username isActive } }
`);

export const ADMIN_USERS = graphql(`
  query AdminUsers($first: Int, $after: String, $search: String) {
    users(first: $first, after: $after, search: $search) {
      edges { node { username email } } pageInfo { hasNextPage endCursor } }
  }
`);

export const ADMIN_UPDATE_USER = graphql(`
  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { id email username isActive isVerified isSuperuser }
  }
`);

/** Who a token signs in as (test/auth.test.ts); null without a live session. */
export const WHO_AM_I = graphql(`
  query WhoAmI { me { id username email } }
`);

/** Whether a token signs in anyone. */
export const MY_ID = graphql(`
  query MyId { me { id } }
`);

/** Usernames matching a search (test/user-search.test.ts). */
export const USERNAMES = graphql(`
  query Usernames($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }
`);

/** A node by its global id, with a user's username (test/node-ids.test.ts). */
export const NODE_USERNAME = graphql(`
  query NodeUsername($id: ID!) { node(id: $id) { id ... on User { username } } }
`);

/** A login answering the user's own posts (test/login-answer.test.ts). */
export const LOGIN_POSTS = graphql(`
  mutation LoginPosts($email: String!, $password: String!) {
    login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } }
  }
`);
