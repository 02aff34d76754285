// Limits that depend on the variables, checked once the operation and its variables are known and
// before any resolver (and so any SQL) runs. graphql-armor's static rules (depth, aliases, tokens)
// see only the document; a page size passed as a variable is invisible to them.
//
// - Cost: every field selected costs 1, times the page sizes of the connections around it, so
//   feed(first: $n) { ... author { posts(first: $n) { ... } } } costs n × 50 × its fields.
// - One per operation: at most one field that checks or hashes a password, and at most one that sends
//   an account mail, so aliases cannot turn one request into many bcrypt runs or many mails. (An
//   operation with password work also holds one of its client's password-check slots while it runs:
//   src/graphql/password-check-slots.ts.)
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import { OPERATION_LIMITS_EXTENSION, type OperationLimitOptions } from './operation-limit-options.ts';

/** Work an operation may ask for once, and how a refusal words it. */
const ONCE_PER_OPERATION = {
  passwordWork: 'check or set one password',
  sendsMail: 'send one account mail',
} as const;

type OncePerOperation = keyof typeof ONCE_PER_OPERATION;

export interface OperationLimits {
  maxCost: number;
}

interface Measure {
  cost: number;
  /** The fields (aliases as written) doing each kind of once-per-operation work. */
  fieldsDoing: Record<OncePerOperation, string[]>;
}

type AnyField = GraphQLField<unknown, unknown>;

/** The limits' options of a field, as its schema file declared them (src/graphql/operation-limit-options.ts). */
function extensionsOf(field: AnyField): OperationLimitOptions {
  return (field.extensions[OPERATION_LIMITS_EXTENSION] ?? {}) as OperationLimitOptions;
}

/** The page size a connection field will use: first or last, else its default, at most its maximum. */
function pageSizeOf(field: AnyField, args: Record<string, unknown>): number {
  const { pageSize } = extensionsOf(field);
  if (!pageSize) return 1;
  const asked =
    typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : pageSize.defaultSize;
  return Math.max(0, Math.min(asked, pageSize.maxSize));
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): Measure {
  const measure: Measure = { cost: 0, fieldsDoing: { passwordWork: [], sendsMail: [] } };
  const root = schema.getRootType(operation.operation);
  if (!root) return measure;

  const visit = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLObjectType | null,
    multiplier: number,
    seen: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        // A cycle is a validation error, reported as such; here it must only not loop.
        if (!fragment || seen.has(fragment.name.value)) continue;
        visit(
          fragment.selectionSet,
          typeNamed(schema, fragment.typeCondition.name.value) ?? parentType,
          multiplier,
          new Set([...seen, fragment.name.value]),
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? typeNamed(schema, selection.typeCondition.name.value) : parentType;
        visit(selection.selectionSet, condition ?? parentType, multiplier, seen);
      } else {
        visitField(selection, parentType, multiplier, seen);
      }
    }
  };

  const visitField = (node: FieldNode, parentType: GraphQLObjectType | null, multiplier: number, seen: Set<string>) => {
    measure.cost += multiplier;
    const field = parentType?.getFields()[node.name.value];
    if (!field) return;
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      // Bad arguments fail in execution with their own message; the default cost stands for them.
    }
    const extensions = extensionsOf(field);
    for (const kind of Object.keys(ONCE_PER_OPERATION) as OncePerOperation[]) {
      const work = extensions[kind];
      if (typeof work === 'function' ? work(args) : work)
        measure.fieldsDoing[kind].push(node.alias?.value ?? node.name.value);
    }
    if (!node.selectionSet) return;
    const type = getNamedType(field.type);
    // Interfaces and unions (node) are read through inline fragments, which name their type.
    visit(node.selectionSet, isObjectType(type) ? type : null, multiplier * pageSizeOf(field, args), seen);
  };

  visit(operation.selectionSet, root, 1, new Set());
  return measure;
}

function typeNamed(schema: GraphQLSchema, name: string): GraphQLObjectType | null {
  const type = schema.getType(name);
  return type && isObjectType(type) ? type : null;
}

const refuse = (message: string, extensions: Record<string, unknown>) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });

export interface OperationVerdict {
  /** Why the operation must not run, or null. */
  refusal: GraphQLError | null;
  /** It runs a field that checks or hashes a password. */
  passwordWork: boolean;
}

/** Whether the operation may run, and what it will do. Variables that do not fit their types are refused here too. */
export function verdictOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: unknown,
  { maxCost }: OperationLimits,
): OperationVerdict {
  const operation = getOperationAST(document, operationName);
  // No single operation to run: graphql-js reports that with its own message.
  if (!operation) return { refusal: null, passwordWork: false };
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>,
  );
  if (coerced.errors) {
    const [first] = coerced.errors;
    return { refusal: refuse(first?.message ?? 'Invalid variables.', {}), passwordWork: false };
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const { cost, fieldsDoing } = measureOperation(schema, operation, fragments, coerced.coerced);
  const passwordWork = fieldsDoing.passwordWork.length > 0;
  if (cost > maxCost) {
    const message = `Query cost limit of ${maxCost} exceeded, found ${cost}. Ask for smaller pages or fewer fields.`;
    return { refusal: refuse(message, { cost, maxCost }), passwordWork };
  }
  for (const kind of Object.keys(ONCE_PER_OPERATION) as OncePerOperation[]) {
    const fields = fieldsDoing[kind];
    if (fields.length > 1) {
      const message = `One request may ${ONCE_PER_OPERATION[kind]}; this one asks ${fields.length} fields to (${fields.join(', ')}).`;
      return { refusal: refuse(message, { fields }), passwordWork };
    }
  }
  return { refusal: null, passwordWork };
}

/** What this plugin leaves on the request's context. */
export interface OperationLimitsContext {
  operationRefusal?: GraphQLError | null;
  /** The operation checks or hashes a password (src/graphql/password-check-slots.ts holds a slot for it). */
  operationDoesPasswordWork?: boolean;
}

/**
 * Measured once the document is valid and before the context is built, so a refused operation costs
 * no SQL, not even the session lookup (the context factory skips it; see src/context.ts). Validation
 * results are cached per document, and the verdict depends on the variables, so it is kept on the
 * request's context rather than reported as a validation error.
 */
export function useOperationLimits(operationLimits: OperationLimits): Plugin<OperationLimitsContext> {
  return {
    onValidate({ params, context, extendContext }) {
      return ({ valid }) => {
        if (!valid) return;
        const request = (context as { params?: { operationName?: string | null; variables?: unknown } }).params;
        const verdict = verdictOf(
          params.schema,
          params.documentAST,
          request?.operationName,
          request?.variables,
          operationLimits,
        );
        extendContext({ operationRefusal: verdict.refusal, operationDoesPasswordWork: verdict.passwordWork });
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = (args.contextValue as OperationLimitsContext).operationRefusal;
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    // A subscription document is measured alike: refused, its only event is the error.
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = (args.contextValue as OperationLimitsContext).operationRefusal;
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}
