/** As much of a zod schema's definition as Strongroom reads: its type, and what it wraps or holds. */
export interface SchemaDef {
  type: string;
  innerType?: { def: SchemaDef };
  element?: { def: SchemaDef };
  valueType?: { def: SchemaDef };
  shape?: Record<string, { def: SchemaDef } | undefined>;
  entries?: Record<string, string>;
}

/** The definition of `schema` (a zod schema), under any optional wrapper. */
export function defOf(schema: unknown): SchemaDef {
  let def = (schema as { def: SchemaDef }).def;
  while (def.type === 'optional' && def.innerType !== undefined) def = def.innerType.def;
  return def;
}

/** The most bytes a blob member (a `blob()` of wire.ts, optional or not) takes, or undefined for other schemas. */
export function blobMaxBytes(schema: unknown): number | undefined {
  let inner = schema as { def: SchemaDef; meta(): { maxBytes?: number } | undefined };
  while (inner.def.type === 'optional' && inner.def.innerType !== undefined) inner = inner.def.innerType as typeof inner;
  return inner.meta()?.maxBytes;
}
