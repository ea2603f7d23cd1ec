import type { ListKeyRotationsRequest, ListKeyRotationsResponse, RotationsListEntry } from '../../../src-shared/kms/shapes.generated';
import type { KeyVersionRow } from '../../vault/keyVersionsRepo';
import { authorizeKey, type KmsContext, resolveKey } from '../context';
import { decodeMarker, encodeMarker } from '../engine/paging';
import { requireRotatable } from '../engine/rotation';

function isPosition(value: unknown): value is number {
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
export function listKeyRotations(ctx: KmsContext, request: ListKeyRotationsRequest): ListKeyRotationsResponse {
  const key = resolveKey(ctx, request.KeyId, 'any');
  requireRotatable(ctx.vault.store, key);
  authorizeKey(ctx, key, 'kms:ListKeyRotations');
  const limit = request.Limit ?? 100;
  const after = request.Marker === undefined ? 0 : decodeMarker(request.Marker, isPosition);
  const all = request.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const rows = ctx.vault.store.versions.list(key.keyId).filter((row) => row.version > after && (all || row.rotationType !== null));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const truncated = rows.length > limit && last !== undefined;
  return {
    Rotations: page.map((row) => entry(row, key.currentVersion)),
    Truncated: truncated,
    ...(truncated ? { NextMarker: encodeMarker(last.version) } : {}),
  };
}
