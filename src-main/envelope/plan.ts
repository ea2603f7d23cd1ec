import { KmsError } from '../../src-shared/errors';
import { randomFill } from '../crypto/random';
import { DEFAULT_FRAME_LENGTH, type EncryptPlan } from './encryptMessage';
import { sealDataKey, type KmsCall, type Recipient } from './recipients';
import { contextPublicKey, PUBLIC_KEY_CONTEXT } from './signing';
import { DATA_KEY_BYTES } from './suites';

/** What a file is encrypted for, and how. */
export interface FileEncryption {
  readonly recipients: readonly Recipient[];
  readonly context?: Readonly<Record<string, string>>;
  /** A KMS key (ECC_NIST_P384, SIGN_VERIFY) that signs the message: readers see it signed by that key. */
  readonly signKeyId?: string;
  readonly frameLength?: number;
}

/** The most recipients a message holds (the SDK's default limit on encrypted data keys it opens is none; this keeps headers small). */
export const MAX_RECIPIENTS = 100;

/**
 * The plan of one message: a fresh data key, sealed for every recipient
 * (a KMS key with Encrypt and the message's context, which AWS's KMS
 * keyring also sends), and, when signed, the signing key's public key in
 * the context and a signer that has the KMS key sign the digest.
 * ValidationException for no recipient, too many, a reserved context key,
 * or a signing key that is not a P-384 signing key.
 */
export async function planEncryption(kms: KmsCall, request: FileEncryption): Promise<EncryptPlan> {
  if (request.recipients.length === 0) throw new KmsError('ValidationException', 'Name at least one recipient.');
  if (request.recipients.length > MAX_RECIPIENTS) throw new KmsError('ValidationException', `A file can be encrypted for at most ${String(MAX_RECIPIENTS)} recipients.`);
  const reserved = Object.keys(request.context ?? {}).find((key) => key.startsWith('aws-crypto-'));
  if (reserved !== undefined) throw new KmsError('ValidationException', `The encryption context key ${reserved} is reserved: keys starting with aws-crypto- are the format's own.`);
  const frameLength = request.frameLength ?? DEFAULT_FRAME_LENGTH;
  if (!Number.isInteger(frameLength) || frameLength < 1 || frameLength > 2 ** 31) throw new KmsError('ValidationException', 'The frame length is a whole number of bytes from 1 to 2 GiB.');
  const context: Record<string, string> = { ...request.context };
  let signer: EncryptPlan['signer'];
  if (request.signKeyId !== undefined) {
    const signKeyId = request.signKeyId;
    const { PublicKey, KeySpec, KeyUsage, KeyId } = await kms('GetPublicKey', { KeyId: signKeyId });
    const encoded = KeySpec === 'ECC_NIST_P384' && KeyUsage === 'SIGN_VERIFY' ? contextPublicKey(Buffer.from(String(PublicKey), 'base64')) : undefined;
    if (encoded === undefined) throw new KmsError('ValidationException', `${String(KeyId)} is a ${String(KeySpec)} key for ${String(KeyUsage)}: a file is signed by an ECC_NIST_P384 key for SIGN_VERIFY, as the format's signed suite needs.`);
    context[PUBLIC_KEY_CONTEXT] = encoded;
    signer = async (digest) => Buffer.from(String((await kms('Sign', { KeyId: signKeyId, Message: digest.toString('base64'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_384' })).Signature), 'base64');
  }
  const dataKey = randomFill(Buffer.alloc(DATA_KEY_BYTES));
  try {
    const dataKeys = [];
    for (const recipient of request.recipients) dataKeys.push(await sealDataKey(kms, recipient, dataKey, context));
    return { dataKey, dataKeys, context, frameLength, ...(signer === undefined ? {} : { signer }) };
  } catch (error) {
    dataKey.fill(0);
    throw error;
  }
}
