// The typed documents under test/clients/generated and test/operations/generated are what `npm run
// codegen` makes from schema.graphql and the operations (test/clients/*operations.ts, test/operations/*.ts).
// Clients and the API tests type-check against them, so stale ones would let them compile against a
// schema the server no longer serves.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, expectTypeOf, it } from 'vitest';
import config from '../codegen.ts';
import { ErrorCode as ServerErrorCode } from '../src/errors.ts';
import { ErrorCode } from './clients/generated/enums.ts';

const root = path.join(import.meta.dirname, '..');
/** Every folder codegen writes to: nothing else may be in them. */
const generatedDirs = [
  path.join(root, 'test', 'clients', 'generated'),
  path.join(root, 'test', 'operations', 'generated'),
];

interface FileOutput {
  filename: string;
  content: string;
}

/** What codegen would write now, without writing it. */
async function generateNow(overrides: Partial<typeof config> = {}): Promise<FileOutput[]> {
  return generate({ ...config, ...overrides, cwd: root, silent: true }, false);
}

describe('the generated GraphQL clients', () => {
  it('are what `npm run codegen` makes now (run it after changing schema.graphql or the operations)', async () => {
    const files = await generateNow();
    // The same files, none missing and none left over from an older configuration...
    const paths = files.map((file) => path.resolve(root, file.filename));
    expect(paths.every((file) => generatedDirs.includes(path.dirname(file)))).toBe(true);
    for (const dir of generatedDirs) {
      const names = paths.filter((file) => path.dirname(file) === dir).map((file) => path.basename(file));
      expect((await readdir(dir)).sort(), dir).toEqual(names.sort());
    }
    // ...with the same contents.
    for (const file of files) {
      const committed = await readFile(path.resolve(root, file.filename), 'utf8');
      expect(committed, `${file.filename} is stale: run npm run codegen`).toBe(file.content);
    }
  });

  it('refuses an operation the schema does not have, so a renamed field cannot slip through', async () => {
    // codegen also logs "One or more errors occurred, no files were generated" to stderr here.
    await expect(generateNow({ documents: ['query Broken { feed { edges { node { id title } } } }'] })).rejects.toThrow(
      /Cannot query field "title" on type "Post"/,
    );
  });

  it('types ErrorCode as exactly the codes the server answers with', () => {
    expect(Object.values(ErrorCode).sort()).toEqual(Object.values(ServerErrorCode).sort());
    // Checked by tsc (npm run typecheck): a union of the codes, not string, so a switch with a
    // misspelled case does not compile.
    expectTypeOf<ErrorCode>().toEqualTypeOf<ServerErrorCode>();
    expectTypeOf<'USER_ALREADY_EXISTS'>().not.toExtend<ErrorCode>();
  });
});
