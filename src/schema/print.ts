// The SDL committed as schema.graphql. Printed with the graphql module the schema was built with:
// graphql ships two builds, and mixing them fails with "from another module or realm".
import { printSchema } from 'graphql';
import { schema } from './index.ts';

export function printSchemaSDL(): string {
  return `${printSchema(schema)}\n`;
}
