/**
 * The canonical bytes of an encryption context, bound as AAD: the number of
 * pairs, then each pair sorted by the UTF-8 bytes of its key, every count and
 * length a 32-bit big-endian integer:
 * `count ‖ (len(key) ‖ key ‖ len(value) ‖ value)*`. An absent or empty context
 * encodes as four zero bytes.
 */
export function canonicalContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  if (context === undefined) return Buffer.alloc(4);
  const pairs = Object.entries(context).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = Buffer.alloc(size);
  let at = out.writeUInt32BE(pairs.length, 0);
  for (const [k, v] of pairs) {
    at = out.writeUInt32BE(k.length, at);
    at += k.copy(out, at);
    at = out.writeUInt32BE(v.length, at);
    at += v.copy(out, at);
  }
  return out;
}
