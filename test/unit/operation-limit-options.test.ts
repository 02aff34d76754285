// The operation limits' options are typed field options: the schema files write `passwordWork: true`
// beside `resolve`, TypeScript refuses a misspelt one (`npm run typecheck` fails if the @ts-expect-error
// below stops being an error), and the built field carries them where the limits read them.
import SchemaBuilder from '@pothos/core';
import { describe, expect, it } from 'vitest';
import { OPERATION_LIMITS_EXTENSION, operationLimitsPlugin } from '../../src/graphql/operation-limit-options.ts';

describe('operation limit options', () => {
  it('are typed field options copied onto the field', () => {
    // The app's other plugins are declared globally and would ask for their own options; this builder has none of them.
    const options = { plugins: [operationLimitsPlugin] } as unknown as ConstructorParameters<typeof SchemaBuilder>[0];
    const builder = new SchemaBuilder<{ Context: object }>(options);
    builder.queryType({
      fields: (t) => ({
        login: t.boolean({
          args: { password: t.arg.string() },
          passwordWork: ({ password }) => password != null,
          resolve: () => true,
        }),
        mail: t.boolean({ sendsMail: true, resolve: () => true }),
        plain: t.boolean({
          // @ts-expect-error a misspelt option is no option: the type check fails instead of a rule going quiet.
          passwordwork: true,
          resolve: () => true,
        }),
      }),
    });
    const fields = builder.toSchema().getQueryType()!.getFields();
    const limitsOf = (name: string) => fields[name]!.extensions[OPERATION_LIMITS_EXTENSION] as Record<string, unknown>;
    expect(typeof limitsOf('login').passwordWork).toBe('function');
    expect(limitsOf('mail')).toEqual({ sendsMail: true });
    expect(limitsOf('plain')).toBeUndefined();
  });
});
