type Context = Readonly<Record<string, string>> | undefined;

const NO_PREFIX = Buffer.alloc(0);

/**
 * The canonical bytes of an encryption context, bound as AAD: the number of
 * pairs, then each pair sorted by the UTF-8 bytes of its key, every count and
 * length a 32-bit big-endian integer:
 * `count ‖ (len(key) ‖ key ‖ len(value) ‖ value)*`. An absent or empty context
 * encodes as four zero bytes.
 */
export function canonicalContext(context: Context): Buffer {
  return prefixedContext(NO_PREFIX, context);
}

/** `prefix ‖ canonicalContext(context)`, written into one buffer: the AAD of a ciphertext blob, whose prefix is its header. */
export function prefixedContext(prefix: Buffer, context: Context): Buffer {
  const pairs = context === undefined ? [] : Object.keys(context).map((key) => ({ key: Buffer.from(key, 'utf8'), value: context[key] as string }));
  pairs.sort((a, b) => Buffer.compare(a.key, b.key));
  let size = prefix.length + 4;
  for (const pair of pairs) size += 8 + pair.key.length + Buffer.byteLength(pair.value, 'utf8');
  const out = Buffer.allocUnsafe(size); // every byte is written below
  prefix.copy(out, 0);
  let at = out.writeUInt32BE(pairs.length, prefix.length);
  for (const { key, value } of pairs) {
    at = out.writeUInt32BE(key.length, at);
    at += key.copy(out, at);
    const length = out.write(value, at + 4, 'utf8');
    at = out.writeUInt32BE(length, at) + length;
  }
  return out;
}
