// Generates src-shared/kms/shapes.generated.ts from the AWS KMS API model:
// one zod schema per request and response shape (and the shapes they use),
// with the model's limits, enums and patterns. Each schema is built on its
// first use, so a process pays only for the operations it runs.
// Run: node scripts/gen-kms-shapes.mjs [model.json] [output-dir]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modelPath = process.argv[2] ?? join(root, 'reference', 'aws-kms', 'service-2.json');
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const { shapes, operations } = model;

/**
 * Strongroom's extensions of AWS shapes (docs/keys.md, "Strongroom extensions"): members
 * AWS does not have, added to the structures named, by member and shape (a
 * model shape's name, or a zod expression).
 */
const EXTENSION_MEMBERS = {
  // A key whose material may be wrapped out for a cloud KMS (strongroom byok wrap): chosen at creation, fixed for its life.
  CreateKeyRequest: { Exportable: 'BooleanType' },
  KeyMetadata: { Exportable: 'BooleanType' },
  // A replica goes to another vault through files: the replica vault's request in, a bundle of the key's material wrapped to it out.
  ReplicateKeyRequest: { ReplicationRequest: 'z.string().min(1).max(16384)' },
  ReplicateKeyResponse: { ReplicaBundle: 'z.string()' },
};

const emitted = new Set();
const out = [];

function ref(name) {
  visit(name);
  return `${name}()`;
}

function expression(name, shape) {
  switch (shape.type) {
    case 'string': {
      if (shape.enum) return `z.enum(${JSON.stringify(shape.enum)})`;
      let e = 'z.string()';
      if (shape.min !== undefined) e += `.min(${shape.min})`;
      if (shape.max !== undefined) e += `.max(${shape.max})`;
      if (shape.pattern !== undefined) e += `.regex(new RegExp(${JSON.stringify(`^(?:${shape.pattern})$`)}))`;
      return e;
    }
    case 'integer': {
      let e = 'z.number().int()';
      if (shape.min !== undefined) e += `.min(${shape.min})`;
      if (shape.max !== undefined) e += `.max(${shape.max})`;
      return e;
    }
    case 'boolean':
      return 'z.boolean()';
    case 'timestamp':
      return 'timestamp()';
    case 'blob':
      return `blob(${shape.min ?? 0}, ${shape.max ?? 'Infinity'})`;
    case 'list': {
      let e = `z.array(${ref(shape.member.shape)})`;
      if (shape.min !== undefined) e += `.min(${shape.min})`;
      if (shape.max !== undefined) e += `.max(${shape.max})`;
      return e;
    }
    case 'map':
      return `z.record(${ref(shape.key.shape)}, ${ref(shape.value.shape)})`;
    case 'structure': {
      const required = new Set(shape.required ?? []);
      const members = Object.entries(shape.members).map(([member, m]) => {
        const type = ref(m.shape);
        return `  ${member}: ${type}${required.has(member) ? '' : '.optional()'},`;
      });
      for (const [member, extension] of Object.entries(EXTENSION_MEMBERS[name] ?? {})) members.push(`  ${member}: ${extension.startsWith('z.') ? extension : ref(extension)}.optional(), // Strongroom extension`);
      return `z.strictObject({\n${members.join('\n')}\n})`;
    }
    default:
      throw new Error(`${name}: shape type ${shape.type} is not handled`);
  }
}

function visit(name) {
  if (emitted.has(name)) return;
  emitted.add(name);
  const shape = shapes[name];
  const e = expression(name, shape);
  out.push(`export const ${name} = once(() => ${e});`);
  if (shape.type === 'structure') out.push(`export type ${name} = z.infer<ReturnType<typeof ${name}>>;`);
}

/** The first sentence of an operation's documentation, as plain text. */
function summary(op) {
  const text = (op.documentation ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  const end = text.search(/\.(\s|$)/);
  const sentence = end < 0 ? text : text.slice(0, end + 1);
  return sentence.length <= 150 ? sentence : `${sentence.slice(0, sentence.lastIndexOf(' ', 149))}…`;
}

const ops = [];
for (const [name, op] of Object.entries(operations)) {
  const input = op.input ? ref(op.input.shape) : undefined;
  const output = op.output ? ref(op.output.shape) : undefined;
  const errors = (op.errors ?? []).map((e) => e.shape);
  ops.push(`  ${name}: { get input() { return ${input ?? 'Empty()'}; }, get output() { return ${output ?? 'Empty()'}; }, errors: ${JSON.stringify(errors)}, summary: ${JSON.stringify(summary(op))} },`);
}

/** Member names whose shape is of `type`, in every structure emitted. */
function membersOfType(type) {
  const members = new Set();
  for (const name of emitted) {
    const shape = shapes[name];
    if (shape.type !== 'structure') continue;
    for (const [member, m] of Object.entries(shape.members)) if (shapes[m.shape].type === type) members.add(member);
  }
  return [...members].sort();
}
// Blobs (key material, plaintext, ciphertext, signatures): the audit log leaves them out. Timestamps: the CLI prints them as ISO 8601.
const blobMembers = membersOfType('blob');
const timestampMembers = membersOfType('timestamp');

const text = `// Generated by scripts/gen-kms-shapes.mjs from the AWS KMS API model (${model.metadata.uid}). Do not edit.
import * as z from 'zod';
import { blob, timestamp } from './wire';

/** What \`build\` returns, built on the first call and kept: each schema below costs nothing until it is used. */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

${out.join('\n')}

/** The request or response of an operation that has none in the model. */
const Empty = once(() => z.strictObject({}));

/** Every AWS KMS operation: its request and response schemas (each built when first read), the exceptions it may raise, and the first sentence of AWS's description. */
export const OPERATIONS = {
${ops.join('\n')}
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** Members that carry bytes (plaintext, ciphertext, key material, signatures): never written to the audit log. */
export const BLOB_MEMBERS: ReadonlySet<string> = new Set(${JSON.stringify(blobMembers)});

/** Members that hold a timestamp (seconds since the epoch on the wire). */
export const TIMESTAMP_MEMBERS: ReadonlySet<string> = new Set(${JSON.stringify(timestampMembers)});
`;
const outDir = process.argv[3] ?? join(root, 'src-shared', 'kms');
writeFileSync(join(outDir, 'shapes.generated.ts'), text);
console.log(`wrote ${emitted.size} shapes and ${ops.length} operations`);
