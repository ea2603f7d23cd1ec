import { KmsError } from '../../../src-shared/errors';
import { checkMaterial, expiryOf, installImportedMaterial, openImportedMaterial, requireExternal } from '../engine/importedMaterial';
import { specOf } from '../keySpecs';
import { declare } from '../pipeline/declaration';

/**
 * ImportKeyMaterial: key material wrapped with the public key of
 * GetParametersForImport, into a key created with Origin EXTERNAL; the
 * key becomes Enabled. A re-import must bring the same material.
 */
export const importKeyMaterial = declare({
  name: 'ImportKeyMaterial',
  action: 'kms:ImportKeyMaterial',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  check: (request) => {
    expiryOf(request, Date.now());
    if (request.KeyMaterialDescription !== undefined) throw new KmsError('UnsupportedOperationException', 'KeyMaterialDescription is not kept in this version: import without it.');
  },
  keyInResponse: true,
  handler: (ctx, request, { key }) => {
    requireExternal(ctx, key);
    const now = Date.now();
    const arn = ctx.vault.store.keyArn(key.keyId);
    if (request.ImportType === 'NEW_KEY_MATERIAL' && key.currentVersion !== 0) {
      throw new KmsError('UnsupportedOperationException', `${arn} has its key material: rotating imported material is not available in this version. Re-import the same material with EXISTING_KEY_MATERIAL.`);
    }
    const material = openImportedMaterial(ctx, key, Buffer.from(request.ImportToken, 'base64'), Buffer.from(request.EncryptedKeyMaterial, 'base64'), now);
    try {
      checkMaterial(specOf(key), material);
      const materialId = installImportedMaterial(ctx.vault, key, material, expiryOf(request, now), now);
      if (request.KeyMaterialId !== undefined && request.KeyMaterialId !== materialId) {
        throw new KmsError('ValidationException', `KeyMaterialId ${request.KeyMaterialId} is not the material of ${arn} (${materialId}).`);
      }
      ctx.eventData.keyMaterialId = materialId;
      return { KeyId: arn, KeyMaterialId: materialId };
    } finally {
      material.fill(0);
    }
  },
});
