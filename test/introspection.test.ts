// Introspection: on outside production, off in production unless INTROSPECTION=true.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, PRODUCTION, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

type SchemaData = { __schema: { queryType: { name: string } } };

describe('introspection', () => {
  const introspect = (target: TestServer) => target.gql<SchemaData>('{ __schema { queryType { name } } }', {}, null);

  it('is on outside production', async () => {
    expect((await introspect(server)).body.data!.__schema.queryType.name).toBe('Query');
  });

  it('is off in production unless INTROSPECTION=true', async () => {
    const production = await startTestServer(PRODUCTION);
    const allowed = await startTestServer({ ...PRODUCTION, INTROSPECTION: 'true' });
    try {
      const refused = await introspect(production);
      expect(errorCode(refused)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.body.errors![0]!.message).toMatch(/introspection/i);
      expect(errorCode(await production.gql('{ __type(name: "Post") { name } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await introspect(allowed)).body.data!.__schema.queryType.name).toBe('Query');
    } finally {
      await production.close();
      await allowed.close();
    }
  });
});
