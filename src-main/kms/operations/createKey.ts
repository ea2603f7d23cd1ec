import { KmsError } from '../../../src-shared/errors';
import type { CreateKeyRequest, CreateKeyResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeAccount, type KmsContext } from '../context';
import { createKeyRecord } from '../engine/keyMaterial';
import { keyMetadata } from '../engine/metadata';
import { checkTags, MAX_TAGS_PER_KEY } from '../engine/tags';

/** Refuses what this version does not create: other key specs, imported or external material, multi-Region keys, key policies. */
function refuseUnsupported(request: CreateKeyRequest, spec: string): void {
  if (request.CustomKeyStoreId !== undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store ${request.CustomKeyStoreId}.`);
  if (request.XksKeyId !== undefined) throw new KmsError('UnsupportedOperationException', 'External key stores are not supported on this desktop.');
  if (spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not available in this version; SYMMETRIC_DEFAULT is.`);
  if ((request.Origin ?? 'AWS_KMS') !== 'AWS_KMS') throw new KmsError('UnsupportedOperationException', `Origin ${String(request.Origin)} is not available in this version; AWS_KMS is.`);
  if (request.MultiRegion === true) throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported: a desktop vault has one Region.');
  if (request.Policy !== undefined) throw new KmsError('UnsupportedOperationException', 'Key policies are not available in this version; the vault account root is allowed everything.');
}

/** CreateKey: a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) with its first backing key. */
export function createKey(ctx: KmsContext, request: CreateKeyRequest): CreateKeyResponse {
  if (request.KeySpec !== undefined && request.CustomerMasterKeySpec !== undefined) {
    throw new KmsError('ValidationException', 'Give KeySpec or CustomerMasterKeySpec (its older name), not both.');
  }
  const spec = request.KeySpec ?? request.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  refuseUnsupported(request, spec);
  if ((request.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT') {
    throw new KmsError('ValidationException', `A SYMMETRIC_DEFAULT key is for ENCRYPT_DECRYPT, not ${String(request.KeyUsage)}.`);
  }
  const tags = request.Tags ?? [];
  checkTags(tags);
  if (tags.length > MAX_TAGS_PER_KEY) throw new KmsError('TagException', `Too many tags: a key can have at most ${String(MAX_TAGS_PER_KEY)}; this request gives ${String(tags.length)}.`);
  authorizeAccount(ctx, 'kms:CreateKey');
  const { store } = ctx.vault;
  const row = store.db.transaction(() => {
    const created = createKeyRecord(ctx, { description: request.Description ?? '', keyManager: 'CUSTOMER' });
    store.tags.put(created.keyId, tags);
    return created;
  })();
  return { KeyMetadata: keyMetadata(store, row) };
}
