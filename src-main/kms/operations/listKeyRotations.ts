import type { RotationsListEntry } from '../../../src-shared/kms/shapes.generated';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import { listPage } from '../engine/paging';
import { declare } from '../pipeline/declaration';

function isVersion(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

/** The list entry of one key-material version; the first material has no rotation date or type. */
function entry(row: KeyVersionRow, currentVersion: number): RotationsListEntry {
  return {
    KeyId: row.keyId,
    KeyMaterialId: row.materialId,
    KeyMaterialState: row.version === currentVersion ? 'CURRENT' : 'NON_CURRENT',
    ...(row.rotationType === null ? {} : { RotationDate: row.createdAt / 1000, RotationType: row.rotationType }),
  };
}

/**
 * ListKeyRotations: the completed rotations of a key's material, oldest
 * first, Limit (1–1000, default 100) at a time; with IncludeKeyMaterial
 * ALL_KEY_MATERIAL, the first material too.
 */
export const listKeyRotations = declare({
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  kind: 'read',
  keys: { key: { from: 'KeyId', naming: 'id', states: 'any', rotates: true } },
  handler: (ctx, request, { key }) => {
    const all = request.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
    const rows = ctx.vault.store.versions.list(key.keyId).filter((row) => all || row.rotationType !== null);
    const rule = { kind: 'rotation', max: 1000, defaultLimit: 100, isPosition: isVersion } as const;
    const { items, paging } = listPage(request, rule, (after, count) => rows.filter((row) => row.version > (after ?? 0)).slice(0, count), (row) => row.version);
    return { Rotations: items.map((row) => entry(row, key.currentVersion)), ...paging };
  },
});
