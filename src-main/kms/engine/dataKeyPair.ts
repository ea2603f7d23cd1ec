import { KmsError } from '../../../src-shared/errors';
import type { DataKeyPairSpec } from '../../../src-shared/kms/shapes.generated';
import type { z } from 'zod';
import { supportedKeySpec } from '../keySpecs';
import type { AuthorizedKey, KmsContext } from '../pipeline/declaration';
import { newMaterial } from './keyMaterial';
import { publicKeyOfPkcs8 } from './keyPairs';
import { encryptWith } from './keyEncryption';

/** What a request for a data key pair gives. */
interface DataKeyPairRequest {
  readonly KeyPairSpec: z.infer<ReturnType<typeof DataKeyPairSpec>>;
  readonly EncryptionContext?: Readonly<Record<string, string>> | undefined;
}

/** A data key pair: its private key (PKCS#8 DER, in a secret buffer the caller zero-fills) and its encryption under `key`, its public key (DER SubjectPublicKeyInfo). */
export interface DataKeyPair {
  readonly privateKey: Buffer;
  readonly privateKeyCiphertext: Buffer;
  readonly publicKey: Buffer;
  readonly materialId: string;
}

/**
 * A fresh key pair of the requested spec, its private key encrypted under
 * the symmetric `key` with the request's encryption context, as
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext return it
 * (not under a key in a custom key store, as AWS KMS does not).
 */
export function generateDataKeyPairCore(ctx: KmsContext, key: AuthorizedKey, request: DataKeyPairRequest): DataKeyPair {
  if (key.origin === 'AWS_CLOUDHSM') throw new KmsError('UnsupportedOperationException', `${ctx.vault.store.keyArn(key.keyId)} is in a custom key store, which does not encrypt data key pairs (as in AWS KMS): use a key in the vault.`);
  const { material } = supportedKeySpec(request.KeyPairSpec);
  const secret = newMaterial(material);
  const privateKey = secret.value;
  try {
    const publicKey = publicKeyOfPkcs8(material, privateKey);
    if (publicKey === undefined) throw new KmsError('KMSInternalException', `A fresh ${request.KeyPairSpec} key did not parse.`);
    const { blob, materialId } = encryptWith(ctx, key, privateKey, request.EncryptionContext, undefined);
    ctx.eventData.keyMaterialId = materialId;
    return { privateKey, privateKeyCiphertext: blob, publicKey, materialId };
  } catch (error) {
    secret.destroy();
    throw error;
  }
}
