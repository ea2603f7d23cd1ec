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
