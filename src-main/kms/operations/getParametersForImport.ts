import { checkImportParameters, newImportParameters, requireExternal } from '../engine/importedMaterial';
import { declare } from '../pipeline/declaration';

/** GetParametersForImport: an RSA public key to wrap key material with, and the import token to give with it; both valid 24 hours. */
export const getParametersForImport = declare({
  name: 'GetParametersForImport',
  action: 'kms:GetParametersForImport',
  kind: 'change',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'manage' } },
  check: (request) => {
    checkImportParameters(request.WrappingAlgorithm, request.WrappingKeySpec);
  },
  handler: (ctx, request, { key }) => {
    requireExternal(ctx, key);
    const { token, publicKey, validTo } = newImportParameters(ctx, key, request.WrappingAlgorithm, request.WrappingKeySpec, Date.now());
    return { KeyId: ctx.vault.store.keyArn(key.keyId), ImportToken: token.toString('base64'), PublicKey: publicKey.toString('base64'), ParametersValidTo: validTo / 1000 };
  },
});
