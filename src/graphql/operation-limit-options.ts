// The operation limits' field options, typed (src/graphql/operation-limits.ts reads them): a small Pothos
// plugin that lets a field say `pageSize`, `passwordWork` or `sendsMail` among its options, checked by
// TypeScript like any other option (a misspelt one fails the type check, where an untyped extensions
// object would have turned a rule off in silence), and copies them onto the field's extensions, where
// the limits find them once the schema is built.
import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type InputShapeFromFields,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';

/** Whether a field does some costly work: always, or for these arguments. */
export type FieldWork<Args = Record<string, unknown>> = boolean | ((args: Args) => boolean);

export interface PageSize {
  defaultSize: number;
  maxSize: number;
}

/** What the operation limits know of a field, under its extensions. */
export interface OperationLimitOptions {
  /** A connection: its children run once per row of the page, at most maxSize of them. */
  pageSize?: PageSize;
  /** The field checks or hashes a password (one such field per operation). */
  passwordWork?: FieldWork;
  /** The field sends an account mail: reset, verification, email changed (one such field per operation). */
  sendsMail?: FieldWork;
}

export const OPERATION_LIMITS_EXTENSION = 'operationLimits';

/** The plugin's name, for the builder's `plugins` list. */
export const operationLimitsPlugin = 'operationLimits' as const;

export class OperationLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const { pageSize, passwordWork, sendsMail } = fieldConfig.pothosOptions as OperationLimitOptions;
    if (pageSize === undefined && passwordWork === undefined && sendsMail === undefined) return fieldConfig;
    const options: OperationLimitOptions = { pageSize, passwordWork, sendsMail };
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, [OPERATION_LIMITS_EXTENSION]: options } };
  }
}

SchemaBuilder.registerPlugin(operationLimitsPlugin, OperationLimitsPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      operationLimits: OperationLimitsPlugin<Types>;
    }
    export interface FieldOptions<
      Types extends SchemaTypes,
      ParentShape,
      Type extends TypeParam<Types>,
      Nullable extends FieldNullability<Type>,
      Args extends InputFieldMap,
      ResolveShape,
      ResolveReturnShape,
    > {
      /** A connection's page sizes, for the cost limit: its children run once per row. */
      pageSize?: PageSize;
      /** The field checks or hashes a password: always, or for these arguments. One per operation. */
      passwordWork?: FieldWork<InputShapeFromFields<Args>>;
      /** The field sends an account mail: always, or for these arguments. One per operation. */
      sendsMail?: FieldWork<InputShapeFromFields<Args>>;
    }
  }
}
