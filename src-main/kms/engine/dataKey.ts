import { KmsError } from '../../../src-shared/errors';
import { randomFill } from '../../crypto/random';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { encryptWith } from './keyEncryption';

/** What a request for a data key gives. */
interface DataKeyRequest {
  readonly KeySpec?: 'AES_128' | 'AES_256' | undefined;
  readonly NumberOfBytes?: number | undefined;
  readonly EncryptionContext?: Readonly<Record<string, string>> | undefined;
}

/** ValidationException unless a data key request gives exactly one of KeySpec and NumberOfBytes. */
export function checkDataKeyRequest(request: DataKeyRequest): void {
  if ((request.KeySpec === undefined) === (request.NumberOfBytes === undefined)) {
    throw new KmsError('ValidationException', 'Give exactly one of KeySpec (AES_128 or AES_256) and NumberOfBytes (1 to 1024).');
  }
}

/**
 * A fresh data key (KeySpec AES_128 / AES_256, or NumberOfBytes 1–1024) and
 * its encryption under `key`, noted in the call's record. The caller zeroizes `plaintext`.
 */
export function generateDataKeyCore(ctx: KmsContext, key: AuthorizedKey, request: DataKeyRequest): { arn: string; plaintext: Buffer; ciphertext: Buffer; materialId: string } {
  const length = request.NumberOfBytes ?? (request.KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = randomFill(Buffer.alloc(length));
  try {
    const { blob, materialId } = encryptWith(ctx, key, plaintext, request.EncryptionContext, undefined);
    ctx.eventData.keyMaterialId = materialId;
    return { arn: ctx.vault.store.keyArn(key.keyId), plaintext, ciphertext: blob, materialId };
  } catch (error) {
    plaintext.fill(0);
    throw error;
  }
}
