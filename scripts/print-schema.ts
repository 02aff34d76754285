// Writes schema.graphql from the code-first schema. test/schema.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { printSchemaSDL } from '../src/schema/print.ts';

writeFileSync(new URL('../schema.graphql', import.meta.url), printSchemaSDL());
console.log('wrote schema.graphql');
