// Accounts as the API tests send them: `npm run codegen` types each graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

export const DELETE_ME = graphql(`
  mutation DeleteMe($password: String!) { deleteMe(password: $password) }
`);

export const DELETE_USER = graphql(`
  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }
`);

export const DEACTIVATE_USER = graphql(`
  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }
`);
