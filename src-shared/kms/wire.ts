import * as z from 'zod';

/** Base64's letters, then at most two `=`: standard padded base64 when the length is a multiple of 4 (quicker to test than a pattern counting groups of four). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when `text` is standard base64 with padding (what the AWS shapes take for blobs). */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/** The number of bytes a valid standard base64 string decodes to. */
export function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

const BLOB_MAX_BYTES = new WeakMap<object, number>();

/** A blob on the wire: standard base64 whose decoded length is within the model's min and max bytes (the checks worded as AWS words constraints). */
export function blob(min: number, max: number) {
  const schema = z
    .string()
    .refine(isBase64, { message: 'Member must be standard base64', abort: true })
    .refine((text) => base64Length(text) >= min, `Member must have length greater than or equal to ${String(min)}`)
    .refine((text) => base64Length(text) <= max, `Member must have length less than or equal to ${String(max)}`);
  BLOB_MAX_BYTES.set(schema, max);
  return schema;
}

/** The most bytes the blob member `schema` (perhaps optional) takes; undefined when it is not a blob. */
export function blobMaxBytes(schema: unknown): number | undefined {
  let inner = schema as { def: { type: string; innerType?: unknown } };
  while (inner.def.type === 'optional' && inner.def.innerType !== undefined) inner = inner.def.innerType as typeof inner;
  return BLOB_MAX_BYTES.get(inner);
}

/** A timestamp on the wire: seconds since the epoch, as AWS's JSON protocol sends it. */
export function timestamp() {
  return z.number();
}
