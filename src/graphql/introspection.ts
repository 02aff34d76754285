// Introspection off (production, unless INTROSPECTION=true): __schema and __type are refused as
// validation errors. Clients generate their types from schema.graphql in the repository instead.
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
