import type { AgeIdentityRow } from '../../vault/ageIdentitiesRepo';

/** An age identity as the operations answer it: never its secret. */
export function identityShape(row: AgeIdentityRow): { Name: string; Kind: AgeIdentityRow['kind']; Recipient: string; Description: string; CreationDate: number } {
  return { Name: row.name, Kind: row.kind, Recipient: row.recipient, Description: row.description, CreationDate: row.createdAt / 1000 };
}
