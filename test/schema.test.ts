import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getNamedType, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.ts';
import { schema } from '../src/schema/index.ts';
import { printSchemaSDL } from '../src/schema/print.ts';

const root = path.join(import.meta.dirname, '..');

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing it)', () => {
    const committed = readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(committed).toBe(printSchemaSDL());
  });

  it('keeps the names frontends depend on', () => {
    const sdl = printSchemaSDL();
    for (const fragment of [
      'scalar DateTime',
      'scalar Upload',
      'interface Node',
      'enum FileType',
      'enum ErrorCode',
      'type User implements Node',
      'type Post implements Node',
      'type AuthPayload',
      'type PostConnection',
      'type PostEdge',
      'type UserConnection',
      'type UserEdge',
      'input RegisterInput',
      'me: User',
      'node(',
      'post(',
      'register(',
      'login(',
      'logout: Boolean!',
      'uploadPost(',
      'deletePost(',
    ]) {
      expect(sdl).toContain(fragment);
    }
    // feed and User.posts share one connection type, so clients can share fragments.
    expect(schema.getQueryType()!.getFields().feed!.type.toString()).toBe('PostConnection!');
    const user = schema.getType('User') as import('graphql').GraphQLObjectType;
    expect(user.getFields().posts!.type.toString()).toBe('PostConnection!');
  });

  it('describes every root field and every argument of one', () => {
    const undocumented: string[] = [];
    for (const type of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

describe('the ErrorCode enum', () => {
  const listed = () => (getNamedType(schema.getType('ErrorCode')!) as import('graphql').GraphQLEnumType).getValues();

  it('lists every code the API answers with, each described', () => {
    expect(isEnumType(schema.getType('ErrorCode'))).toBe(true);
    expect(
      listed()
        .map((value) => value.name)
        .sort(),
    ).toEqual(Object.values(ErrorCode).sort());
    expect(listed().filter((value) => !value.description)).toEqual([]);
  });

  it('matches the README error table, row for row', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| `UNAUTHENTICATED`') - 200, readme.indexOf('- Limits:'));
    const codes = [...table.matchAll(/`([A-Z][A-Z_]+)`/g)].map((m) => m[1]!).filter((code) => code in ErrorCode);
    expect(new Set(codes)).toEqual(new Set(Object.values(ErrorCode)));
  });
});
