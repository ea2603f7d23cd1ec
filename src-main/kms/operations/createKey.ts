import { KmsError } from '../../../src-shared/errors';
import type { CreateKeyRequest } from '../../../src-shared/kms/shapes.generated';
import { createKeyRecord } from '../engine/keyMaterial';
import { keyMetadata } from '../engine/metadata';
import { checkTags, MAX_TAGS_PER_KEY } from '../engine/tags';
import { supportedKeySpec, type KeySpecRow } from '../keySpecs';
import { declare } from '../pipeline/declaration';
import { noteResource } from '../pipeline/steps';

/**
 * The spec and usage a CreateKey request asks for, checked against the
 * key-spec table, after what this version does not create: custom or
 * external key stores, multi-Region keys, key policies.
 */
function specAndUsage(request: CreateKeyRequest): { spec: KeySpecRow; usage: NonNullable<CreateKeyRequest['KeyUsage']>; origin: 'AWS_KMS' | 'EXTERNAL' } {
  if (request.KeySpec !== undefined && request.CustomerMasterKeySpec !== undefined) {
    throw new KmsError('ValidationException', 'Give KeySpec or CustomerMasterKeySpec (its older name), not both.');
  }
  if (request.CustomKeyStoreId !== undefined) throw new KmsError('CustomKeyStoreNotFoundException', `There is no custom key store ${request.CustomKeyStoreId}.`);
  if (request.XksKeyId !== undefined) throw new KmsError('UnsupportedOperationException', 'External key stores are not supported on this desktop.');
  const spec = supportedKeySpec(request.KeySpec ?? request.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT');
  if (request.Origin === 'AWS_CLOUDHSM' || request.Origin === 'EXTERNAL_KEY_STORE') throw new KmsError('UnsupportedOperationException', `Origin ${request.Origin} is not available in this version; AWS_KMS and EXTERNAL are.`);
  if (request.MultiRegion === true) throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported: a desktop vault has one Region.');
  if (request.Policy !== undefined) throw new KmsError('UnsupportedOperationException', 'Key policies are not available in this version; the vault account root is allowed everything.');
  const usage = request.KeyUsage ?? 'ENCRYPT_DECRYPT'; // AWS's default, also for specs that cannot have it
  if (!spec.usages.includes(usage)) {
    throw new KmsError('ValidationException', `A ${spec.spec} key is for ${spec.usages.join(' or ')}, not ${usage}${request.KeyUsage === undefined ? ' (the default): give KeyUsage' : ''}.`);
  }
  return { spec, usage, origin: request.Origin === 'EXTERNAL' ? 'EXTERNAL' : 'AWS_KMS' };
}

/** CreateKey: a key of a spec the key-spec table offers, with its first backing key (or, with Origin EXTERNAL, PendingImport) and its tags. */
export const createKey = declare({
  name: 'CreateKey',
  action: 'kms:CreateKey',
  kind: 'change',
  check: (request) => {
    specAndUsage(request);
    const tags = request.Tags ?? [];
    checkTags(tags);
    if (tags.length > MAX_TAGS_PER_KEY) throw new KmsError('TagException', `Too many tags: a key can have at most ${String(MAX_TAGS_PER_KEY)}; this request gives ${String(tags.length)}.`);
  },
  handler: (ctx, request) => {
    const { store } = ctx.vault;
    const row = store.db.transaction(() => {
      const created = createKeyRecord(ctx.vault, { ...specAndUsage(request), description: request.Description ?? '', keyManager: 'CUSTOMER' });
      store.tags.put(created.keyId, request.Tags ?? []);
      return created;
    })();
    noteResource(ctx, store.keyArn(row.keyId));
    return { KeyMetadata: keyMetadata(store, row) };
  },
});
