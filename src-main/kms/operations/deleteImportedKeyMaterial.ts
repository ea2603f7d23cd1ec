import { KmsError } from '../../../src-shared/errors';
import { deleteImportedMaterial, requireExternal } from '../engine/importedMaterial';
import { declare } from '../pipeline/declaration';

/** DeleteImportedKeyMaterial: deletes a key's imported material; the key is PendingImport until the same material is imported again. */
export const deleteImportedKeyMaterial = declare({
  name: 'DeleteImportedKeyMaterial',
  action: 'kms:DeleteImportedKeyMaterial',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any' } },
  handler: (ctx, request, { key }) => {
    requireExternal(ctx, key);
    const arn = ctx.vault.store.keyArn(key.keyId);
    const current = ctx.vault.store.imports.material(key.keyId);
    if (request.KeyMaterialId !== undefined && request.KeyMaterialId !== current?.materialId) throw new KmsError('NotFoundException', `${arn} has no key material ${request.KeyMaterialId}.`);
    const materialId = deleteImportedMaterial(ctx.vault, key);
    return { KeyId: arn, ...(materialId === undefined ? {} : { KeyMaterialId: materialId }) };
  },
});
