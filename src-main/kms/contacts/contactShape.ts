import type { ContactRow } from '../../vault/contactsRepo';

/** A contact as the operations answer it. */
export function contactShape(row: ContactRow): { Name: string; Kind: ContactRow['kind']; PublicKey: string; Fingerprint: string; Description: string; CreationDate: number } {
  return { Name: row.name, Kind: row.kind, PublicKey: row.publicKey, Fingerprint: row.fingerprint, Description: row.description, CreationDate: row.createdAt / 1000 };
}
