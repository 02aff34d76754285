import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSchemaSDL } from '../src/schema/print.ts';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing it)', () => {
    const committed = readFileSync(path.join(import.meta.dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printSchemaSDL());
  });

  it('keeps the names frontends depend on', () => {
    const sdl = printSchemaSDL();
    for (const fragment of [
      'scalar DateTime',
      'scalar Upload',
      'interface Node',
      'enum FileType',
      'type User implements Node',
      'type Post implements Node',
      'type AuthPayload',
      'input RegisterInput',
      'me: User',
      'node(id: ID!): Node',
      'post(id: ID!): Post',
      'QueryFeedConnection!',
      'UserPostsConnection!',
      'register(input: RegisterInput!): User!',
      'login(email: String!, password: String!): AuthPayload!',
      'logout: Boolean!',
      'uploadPost(file: Upload!, caption: String): Post!',
      'deletePost(id: ID!): ID!',
    ]) {
      expect(sdl).toContain(fragment);
    }
  });
});
