import { KmsError } from '../../../src-shared/errors';
import type { CreateKeyRequest } from '../../../src-shared/kms/shapes.generated';
import { createKeyRecord } from '../engine/keyMaterial';
import { keyMetadata } from '../engine/metadata';
import { checkTags, MAX_TAGS_PER_KEY } from '../engine/tags';
import { supportedKeySpec, type KeySpecRow, type Usage } from '../keySpecs';
import { declare, type KmsContext } from '../pipeline/declaration';
import { connectedSession } from '../engine/customKeyStores';
import { checkKeyPolicy } from '../engine/keyPolicies';
import { checkTokenSpec, createOnToken } from '../engine/tokenKeyPairs';
import type { KeyRow } from '../../vault/keysRepo';
import { noteResource } from '../pipeline/steps';
import { requireRegionName } from '../engine/replicas';

/**
 * The spec and usage a CreateKey request asks for, checked against the
 * key-spec table, after what this version does not create: external key
 * stores, keys a custom key store cannot hold, multi-Region keys whose
 * material is not made here.
 */
function specAndUsage(request: CreateKeyRequest): { spec: KeySpecRow; usage: NonNullable<CreateKeyRequest['KeyUsage']>; origin: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' } {
  if (request.KeySpec !== undefined && request.CustomerMasterKeySpec !== undefined) {
    throw new KmsError('ValidationException', 'Give KeySpec or CustomerMasterKeySpec (its older name), not both.');
  }
  if (request.XksKeyId !== undefined) throw new KmsError('UnsupportedOperationException', 'External key stores are not supported on this desktop.');
  const spec = supportedKeySpec(request.KeySpec ?? request.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT');
  if (request.Origin === 'EXTERNAL_KEY_STORE') throw new KmsError('UnsupportedOperationException', 'Origin EXTERNAL_KEY_STORE is not available on this desktop; AWS_KMS, EXTERNAL and AWS_CLOUDHSM (a key on a PKCS#11 token) are.');
  if ((request.Origin === 'AWS_CLOUDHSM') !== (request.CustomKeyStoreId !== undefined)) {
    throw new KmsError('ValidationException', 'A key in a custom key store has Origin AWS_CLOUDHSM and a CustomKeyStoreId: give both, or neither.');
  }
  if (request.MultiRegion === true && (request.Origin ?? 'AWS_KMS') !== 'AWS_KMS') throw new KmsError('UnsupportedOperationException', 'A multi-Region key has material Strongroom makes (Origin AWS_KMS): its replicas in other vaults get the same material by replica export and import.');
  const usage = request.KeyUsage ?? 'ENCRYPT_DECRYPT'; // AWS's default, also for specs that cannot have it
  if (!spec.usages.includes(usage)) {
    throw new KmsError('ValidationException', `A ${spec.spec} key is for ${spec.usages.join(' or ')}, not ${usage}${request.KeyUsage === undefined ? ' (the default): give KeyUsage' : ''}.`);
  }
  if (request.Origin === 'AWS_CLOUDHSM') checkTokenSpec(spec, usage);
  if (request.Exportable === true && request.Origin === 'AWS_CLOUDHSM') throw new KmsError('ValidationException', 'A key on a custom key store’s token never leaves it: it cannot be Exportable.');
  return { spec, usage, origin: request.Origin ?? 'AWS_KMS' };
}

/**
 * For a key in custom key store `id`: what records it, alongside its key
 * row, once it is generated on the store's token.
 * CustomKeyStoreNotFoundException, or CustomKeyStoreInvalidStateException
 * when the store is not connected.
 */
function tokenOfStore(ctx: KmsContext, id: string, spec: KeySpecRow, usage: Usage): (row: KeyRow) => void {
  const session = connectedSession(ctx.vault, ctx.unlocked, id);
  return (row) => {
    ctx.vault.store.customKeyStores.addTokenKey({ keyId: row.keyId, customKeyStoreId: id, objectId: createOnToken(session, row.keyId, spec, usage) });
  };
}

/** CreateKey: a key of a spec the key-spec table offers, with its first backing key (or, with Origin EXTERNAL, PendingImport; with AWS_CLOUDHSM, generated on a custom key store's token) and its tags. */
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
    const asked = specAndUsage(request);
    if (request.MultiRegion === true) requireRegionName(store.region);
    const onToken = request.CustomKeyStoreId === undefined ? undefined : tokenOfStore(ctx, request.CustomKeyStoreId, asked.spec, asked.usage);
    const policy = request.Policy;
    const alongside = (row: KeyRow): void => {
      if (policy !== undefined) checkKeyPolicy(policy, { principal: ctx.caller.principal, identityPolicies: ctx.vault.users.identityPolicies(ctx.caller.principal), keyArn: store.keyArn(row.keyId), bypassLockoutCheck: request.BypassPolicyLockoutSafetyCheck === true });
      onToken?.(row);
    };
    const row = store.db.transaction(() => {
      const created = createKeyRecord(ctx.vault, { ...asked, ...(policy === undefined ? {} : { policy }), description: request.Description ?? '', keyManager: 'CUSTOMER', exportable: request.Exportable === true, multiRegion: request.MultiRegion === true }, alongside);
      store.tags.put(created.keyId, request.Tags ?? []);
      return created;
    })();
    noteResource(ctx, store.keyArn(row.keyId));
    return { KeyMetadata: keyMetadata(store, row) };
  },
});
