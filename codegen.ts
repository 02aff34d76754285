// Typed GraphQL documents for TypeScript clients and for the API tests, generated from schema.graphql
// (the schema the server prints; introspection is off in production). `npm run codegen` writes them;
// test/client-codegen.test.ts fails while the committed files differ from what this config makes.
import type { CodegenConfig } from '@graphql-codegen/cli';

const scalars = {
  // ISO 8601 strings in UTC; clients parse them when they need dates.
  DateTime: 'string',
  // What fetch can send as a multipart part; urql and apollo-upload-client both extract these.
  Upload: 'File | Blob',
};

const presetConfig = {
  // The tests read PostFields straight off each node; masking would need getFragmentData everywhere.
  fragmentMasking: false,
};

const documentsConfig = {
  scalars,
  // An unknown scalar fails the generation instead of becoming `any`.
  strictScalars: true,
  // Enums as unions of string literals: what the JSON carries, nothing emitted at run time.
  enumType: 'string-literal',
  // DocumentNode objects: what Apollo Client needs (urql takes them too).
  documentMode: 'documentNode',
  // `import type` for types only, as verbatimModuleSyntax requires.
  useTypeImports: true,
  // tsconfig is NodeNext with allowImportingTsExtensions: relative imports name their file.
  importExtension: '.ts',
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // Finding no operations (a moved file) fails the generation instead of emptying the output.
  ignoreNoDocuments: false,
  generates: {
    'test/clients/generated/': {
      documents: ['test/clients/operations.ts', 'test/clients/social-operations.ts'],
      preset: 'client',
      presetConfig,
      config: documentsConfig,
    },
    // The operations the API tests send (test/operations/*.ts), apart from the clients' so each set
    // keeps its own operation names and its own graphql() function.
    'test/operations/generated/': {
      documents: ['test/operations/*.ts'],
      preset: 'client',
      presetConfig,
      config: documentsConfig,
    },
    // The client preset emits only the enums an operation uses, and no field returns ErrorCode: the
    // codes arrive in errors[].extensions.code. Every enum of the schema, as a type to switch on.
    'test/clients/generated/enums.ts': {
      plugins: ['typescript'],
      // A const object and a type of one name: switch on the type, check an unknown string against the object.
      config: { onlyEnums: true, enumsAsConst: true, namingConvention: { enumValues: 'keep' } },
    },
  },
};

export default config;
