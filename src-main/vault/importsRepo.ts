import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** Parameters for one import: a wrapping key pair whose private key is wrapped by the root key. */
export interface ImportParametersRow {
  tokenId: string;
  keyId: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  wrappedPrivateKey: Buffer;
  validTo: number;
}

/** What was imported into a key: its material's id and keyed fingerprint, and its expiry (none while the material is deleted). */
export interface ImportedMaterialRow {
  keyId: string;
  materialId: string;
  fingerprint: Buffer;
  expirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE' | null;
  validTo: number | null;
}

type StoredMaterialRow = ImportedMaterialRow & { mac: Buffer | null };

const PARAMETER_COLUMNS = 'token_id AS tokenId, key_id AS keyId, wrapping_algorithm AS wrappingAlgorithm, wrapping_key_spec AS wrappingKeySpec, wrapped_private_key AS wrappedPrivateKey, valid_to AS validTo';
const MATERIAL_COLUMNS = 'key_id AS keyId, material_id AS materialId, fingerprint, expiration_model AS expirationModel, valid_to AS validTo, mac';

function sealedValues(row: ImportedMaterialRow): SealedValue[] {
  return [row.keyId, row.materialId, row.fingerprint, row.expirationModel, row.validTo];
}

/**
 * Prepared statements over import_parameters and imported_material. The
 * imported material rows say whether a key's material may be used and until
 * when, so they are sealed like the key rows (TamperedVaultException on a
 * changed one); the parameters need no seal, as their private keys are
 * wrapped and bound to their token.
 */
export class ImportsRepo {
  private readonly insertParameters;
  private readonly oneParameters;
  private readonly dropExpired;
  private readonly oneMaterial;
  private readonly putMaterialRow;
  private readonly expiring;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.insertParameters = db.prepare(
      'INSERT INTO import_parameters (token_id, key_id, wrapping_algorithm, wrapping_key_spec, wrapped_private_key, valid_to) VALUES (@tokenId, @keyId, @wrappingAlgorithm, @wrappingKeySpec, @wrappedPrivateKey, @validTo)',
    );
    this.oneParameters = db.prepare<[string], ImportParametersRow>(`SELECT ${PARAMETER_COLUMNS} FROM import_parameters WHERE token_id = ?`);
    this.dropExpired = db.prepare<[number]>('DELETE FROM import_parameters WHERE valid_to <= ?');
    this.oneMaterial = db.prepare<[string], StoredMaterialRow>(`SELECT ${MATERIAL_COLUMNS} FROM imported_material WHERE key_id = ?`);
    this.putMaterialRow = db.prepare(
      `INSERT INTO imported_material (key_id, material_id, fingerprint, expiration_model, valid_to, mac) VALUES (@keyId, @materialId, @fingerprint, @expirationModel, @validTo, @mac)
       ON CONFLICT (key_id) DO UPDATE SET material_id = excluded.material_id, fingerprint = excluded.fingerprint, expiration_model = excluded.expiration_model, valid_to = excluded.valid_to, mac = excluded.mac`,
    );
    this.expiring = db.prepare<[number], { keyId: string }>('SELECT key_id AS keyId FROM imported_material WHERE valid_to IS NOT NULL AND valid_to <= ? ORDER BY valid_to');
  }

  /** Stores new import parameters, and forgets those whose 24 hours are over. */
  addParameters(row: ImportParametersRow, now: number): void {
    this.dropExpired.run(now);
    this.insertParameters.run(row);
  }

  parameters(tokenId: string): ImportParametersRow | undefined {
    return this.oneParameters.get(tokenId);
  }

  /** What was imported into `keyId`, checked against its seal while the vault is unlocked. */
  material(keyId: string): ImportedMaterialRow | undefined {
    const stored = this.oneMaterial.get(keyId);
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('imported_material', sealedValues(row), mac, `the imported material row of key ${keyId}`);
    return row;
  }

  /** Records (or replaces) what was imported into a key, sealed. */
  putMaterial(row: ImportedMaterialRow): void {
    this.putMaterialRow.run({ ...row, mac: this.seal.required().mac('imported_material', sealedValues(row)) });
  }

  /** The keys whose imported material expires at or before `now`, soonest first. */
  expiringBy(now: number): string[] {
    return this.expiring.all(now).map((r) => r.keyId);
  }
}
