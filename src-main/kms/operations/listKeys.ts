import type { ListKeysRequest, ListKeysResponse } from '../../../src-shared/kms/shapes.generated';
import { authorizeAccount, type KmsContext } from '../context';
import { decodeMarker, encodeMarker } from '../engine/paging';

type Position = [number, string];

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

/** ListKeys: the vault's keys in creation order, Limit (1–1000, default 100) at a time. */
export function listKeys(ctx: KmsContext, request: ListKeysRequest): ListKeysResponse {
  authorizeAccount(ctx, 'kms:ListKeys');
  const limit = request.Limit ?? 100;
  const [createdAt, keyId] = request.Marker === undefined ? [-1, ''] : decodeMarker(request.Marker, isPosition);
  const rows = ctx.vault.store.keys.listAfter(createdAt, keyId, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const truncated = rows.length > limit && last !== undefined;
  return {
    Keys: page.map((row) => ({ KeyId: row.keyId, KeyArn: ctx.vault.store.keyArn(row.keyId) })),
    Truncated: truncated,
    ...(truncated ? { NextMarker: encodeMarker([last.createdAt, last.keyId]) } : {}),
  };
}
