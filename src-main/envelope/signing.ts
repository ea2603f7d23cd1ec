import { KmsError } from '../../src-shared/errors';
import { ecdsaVerify, ecPoint, ecPointForm, ecSpki } from '../crypto/asymmetric/ec';

/** The encryption context key in which a signed message carries the public key that verifies it. */
export const PUBLIC_KEY_CONTEXT = 'aws-crypto-public-key';

/** What a signed message's context carries: the P-384 public key of `spki`, compressed, in base64; undefined for a key that is not P-384. */
export function contextPublicKey(spki: Buffer): string | undefined {
  const point = ecPoint('P-384', spki);
  const compressed = point === undefined ? undefined : ecPointForm('P-384', point, true);
  return compressed === undefined ? undefined : Buffer.from(compressed).toString('base64');
}

/** The uncompressed point that a signed message's context names; InvalidCiphertextException when it names none. */
function pointOfContext(context: Readonly<Record<string, string>>): Uint8Array {
  const value = context[PUBLIC_KEY_CONTEXT];
  const point = value === undefined ? undefined : ecPointForm('P-384', Buffer.from(value, 'base64'), false);
  if (point === undefined) throw new KmsError('InvalidCiphertextException', `The message is signed, but its ${PUBLIC_KEY_CONTEXT} is not a P-384 public key.`);
  return point;
}

/** The SPKI (DER) of the key that signed a message, from its context. */
export function signerOfContext(context: Readonly<Record<string, string>>): Buffer {
  return ecSpki('P-384', pointOfContext(context));
}

/** Whether `signature` (DER) is the signature of `digest` (SHA-384 of header and body) by the key the context names. */
export function verifyMessageSignature(context: Readonly<Record<string, string>>, digest: Buffer, signature: Buffer): boolean {
  return ecdsaVerify('P-384', pointOfContext(context), digest, signature);
}

/** A message's encryption context as its sender gave it: without the public key the format adds for a signature. */
export function ownContext(context: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(context).filter(([key]) => key !== PUBLIC_KEY_CONTEXT));
}
