import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { combine, split } from 'shamir-secret-sharing';
import { KmsError } from '../../src-shared/errors';
import { open as gcmOpen, seal as gcmSeal } from '../crypto/aesGcm';
import { checkedPassphraseKdf, derivePassphraseKey, newPassphraseKdf, type PassphraseKdf } from '../crypto/passphraseKdf';

/**
 * Shares of a vault's recovery secret (Shamir over GF(2^8), by the audited
 * shamir-secret-sharing library), one per custodian. A share travels as a
 * file sealed with its custodian's passphrase (Argon2id, AES-256-GCM), and
 * can be written down as 39 words of the BIP-39 English list. Either form
 * carries the split's id, M, N, the share's index and a checksum, so that a
 * mistyped, changed or foreign share is refused before any combining.
 */
export interface RecoveryShare {
  /** The first 4 bytes of SHA-256 of the vault id, in hex. */
  readonly vault: string;
  readonly splitId: string;
  readonly threshold: number;
  readonly shares: number;
  /** 1 to N: the custodian's place in the split. */
  readonly index: number;
  /** The share itself: 32 bytes and Shamir's x coordinate. */
  readonly share: Buffer;
}

/** What a split is made of, beside its secret. */
export interface SplitPlan {
  readonly vaultId: string;
  readonly splitId: string;
  readonly threshold: number;
  readonly custodians: readonly string[];
}

const VERSION = 1;
const PAYLOAD_BYTES = 49;
const CHECKSUM_BYTES = 4;
const WORDS = 39;

/** The short form of a vault id that a share carries. */
export function vaultFingerprint(vaultId: string): string {
  return createHash('sha256').update(vaultId).digest().subarray(0, 4).toString('hex');
}

/** A share's bytes: version, vault, split id, M, N, index, share; then 4 bytes of their SHA-256. */
function payload(share: RecoveryShare): Buffer {
  const body = Buffer.concat([Buffer.from([VERSION]), Buffer.from(share.vault, 'hex'), Buffer.from(share.splitId, 'hex'), Buffer.from([share.threshold, share.shares, share.index]), share.share]);
  return Buffer.concat([body, createHash('sha256').update(body).digest().subarray(0, CHECKSUM_BYTES)]);
}

/** The share in `bytes`, its checksum checked; ValidationException naming what is wrong. */
function fromPayload(bytes: Buffer, where: string): RecoveryShare {
  const body = bytes.subarray(0, PAYLOAD_BYTES);
  const sum = createHash('sha256').update(body).digest().subarray(0, CHECKSUM_BYTES);
  if (bytes.length !== PAYLOAD_BYTES + CHECKSUM_BYTES || !timingSafeEqual(sum, bytes.subarray(PAYLOAD_BYTES))) throw new KmsError('ValidationException', `${where} is not a sound recovery share: its checksum does not match (a word mistyped or missing?).`);
  if (body[0] !== VERSION) throw new KmsError('ValidationException', `${where} is a recovery share of a version this Strongroom does not know.`);
  const [threshold, shares, index] = [body[13] ?? 0, body[14] ?? 0, body[15] ?? 0];
  if (threshold < 2 || threshold > shares || index < 1 || index > shares) throw new KmsError('ValidationException', `${where} says it is share ${String(index)} of ${String(shares)}, ${String(threshold)} needed: that cannot be.`);
  return { vault: body.subarray(1, 5).toString('hex'), splitId: body.subarray(5, 13).toString('hex'), threshold, shares, index, share: Buffer.from(body.subarray(16)) };
}

/** The share as 39 words of the BIP-39 English list (11 bits each, the last 5 bits zero). */
export function shareWords(share: RecoveryShare): string {
  const bytes = payload(share);
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('').padEnd(WORDS * 11, '0');
  return Array.from({ length: WORDS }, (_, i) => wordlist[parseInt(bits.slice(i * 11, i * 11 + 11), 2)]).join(' ');
}

/** The share that `text` spells in words; ValidationException naming an unknown word or a wrong checksum. */
export function shareFromWords(text: string): RecoveryShare {
  const words = text.trim().toLowerCase().split(/\s+/);
  if (words.length !== WORDS) throw new KmsError('ValidationException', `A recovery share is ${String(WORDS)} words; ${String(words.length)} were given.`);
  const bits = words
    .map((word, i) => {
      const at = wordlist.indexOf(word);
      if (at < 0) throw new KmsError('ValidationException', `Word ${String(i + 1)}, "${word}", is not one of the list's words.`);
      return at.toString(2).padStart(11, '0');
    })
    .join('');
  const bytes = Buffer.from(Array.from({ length: PAYLOAD_BYTES + CHECKSUM_BYTES }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2)));
  return fromPayload(bytes, 'The words');
}

/** Splits `secret` into one share per custodian, any `threshold` of which give it back. */
export async function splitSecret(secret: Buffer, plan: SplitPlan): Promise<RecoveryShare[]> {
  const parts = await split(new Uint8Array(secret), plan.custodians.length, plan.threshold);
  const vault = vaultFingerprint(plan.vaultId);
  return parts.map((part, i) => ({ vault, splitId: plan.splitId, threshold: plan.threshold, shares: plan.custodians.length, index: i + 1, share: Buffer.from(part) }));
}

/**
 * The secret of a split from its shares: ValidationException for fewer than
 * its threshold, shares of different splits or vaults, or the same share
 * twice. The library itself cannot tell a wrong share (it combines to
 * another secret): the checksums caught those, and the caller checks the
 * secret against what it wraps.
 */
export async function combineShares(shares: readonly RecoveryShare[]): Promise<{ vault: string; splitId: string; secret: Buffer }> {
  const [first] = shares;
  if (first === undefined) throw new KmsError('ValidationException', 'Give the shares to combine.');
  const foreign = shares.find((share) => share.splitId !== first.splitId || share.vault !== first.vault);
  if (foreign !== undefined) throw new KmsError('ValidationException', `The shares are of different splits (${first.splitId} and ${foreign.splitId}${foreign.vault === first.vault ? '' : ', of different vaults'}): only shares of one split combine.`);
  const indexes = new Set(shares.map((share) => share.index));
  if (indexes.size !== shares.length) throw new KmsError('ValidationException', 'The same share was given twice: each custodian’s share counts once.');
  if (shares.length < first.threshold) throw new KmsError('ValidationException', `Split ${first.splitId} needs ${String(first.threshold)} of its ${String(first.shares)} shares; ${String(shares.length)} ${shares.length === 1 ? 'was' : 'were'} given.`);
  const secret = Buffer.from(await combine(shares.map((share) => new Uint8Array(share.share))));
  return { vault: first.vault, splitId: first.splitId, secret };
}

/** A share file: what anyone can read of it, and the share sealed with its custodian's passphrase. */
export interface ShareFile {
  readonly Format: 'strongroom-recovery-share';
  readonly Version: 1;
  readonly VaultId: string;
  readonly SplitId: string;
  readonly Threshold: number;
  readonly Shares: number;
  readonly Index: number;
  readonly Custodian: string;
  readonly CreationDate: string;
  readonly Kdf: PassphraseKdf;
  /** AES-256-GCM (IV, ciphertext, tag) of the share's bytes under the passphrase's key, the fields above as associated data. */
  readonly Sealed: string;
}

/** The fields of a share file that its seal covers, in a fixed order. */
function header(file: Omit<ShareFile, 'Sealed'>): Buffer {
  return Buffer.from(JSON.stringify([file.Format, file.Version, file.VaultId, file.SplitId, file.Threshold, file.Shares, file.Index, file.Custodian, file.CreationDate, file.Kdf]), 'utf8');
}

/** The file of `share` for `custodian`, sealed with their passphrase. */
export function sealShare(share: RecoveryShare, vaultId: string, custodian: string, passphrase: string, kdf: PassphraseKdf = newPassphraseKdf()): ShareFile {
  const fields: Omit<ShareFile, 'Sealed'> = { Format: 'strongroom-recovery-share', Version: 1, VaultId: vaultId, SplitId: share.splitId, Threshold: share.threshold, Shares: share.shares, Index: share.index, Custodian: custodian, CreationDate: new Date().toISOString(), Kdf: kdf };
  const key = derivePassphraseKey(passphrase, kdf);
  const bytes = payload(share);
  try {
    return { ...fields, Sealed: gcmSeal(key, bytes, header(fields)).toString('base64') };
  } finally {
    key.fill(0);
    bytes.fill(0);
  }
}

/** A share file's readable fields, checked for shape (ValidationException otherwise), without its passphrase. */
export function readShareFile(text: string, where: string): ShareFile {
  let file: Partial<ShareFile>;
  try {
    file = JSON.parse(text) as Partial<ShareFile>;
  } catch {
    throw new KmsError('ValidationException', `${where} is not a recovery share file (it is not JSON).`);
  }
  if (file.Format !== 'strongroom-recovery-share' || file.Version !== 1 || typeof file.VaultId !== 'string' || typeof file.SplitId !== 'string' || typeof file.Custodian !== 'string' || typeof file.Sealed !== 'string' || typeof file.CreationDate !== 'string' || ![file.Threshold, file.Shares, file.Index].every(Number.isInteger)) {
    throw new KmsError('ValidationException', `${where} is not a recovery share file of this version.`);
  }
  try {
    checkedPassphraseKdf(file.Kdf);
  } catch {
    throw new KmsError('ValidationException', `${where} has passphrase parameters weaker than allowed, or none: it was not made by Strongroom, or was changed.`);
  }
  return file as ShareFile;
}

/** The share in a file, opened with its custodian's passphrase; InvalidCiphertextException for a wrong passphrase or a changed file. */
export function openShareFile(file: ShareFile, passphrase: string, where: string): RecoveryShare {
  const { Sealed, ...fields } = file;
  const key = derivePassphraseKey(passphrase, file.Kdf);
  const bytes = gcmOpen(key, Buffer.from(Sealed, 'base64'), header(fields));
  key.fill(0);
  if (bytes === undefined) throw new KmsError('InvalidCiphertextException', `${where} does not open with that passphrase (or the file was changed).`);
  const share = fromPayload(bytes, where);
  bytes.fill(0);
  if (share.splitId !== file.SplitId || share.index !== file.Index || share.vault !== vaultFingerprint(file.VaultId)) throw new KmsError('ValidationException', `${where} says one thing outside and holds another: it was put together from two files.`);
  return share;
}

/** Share files, each opened with its custodian's passphrase: the shares, and whose they are. */
export function openShareFiles(files: readonly { readonly path: string; readonly passphrase: string }[]): { shares: RecoveryShare[]; custodians: string[] } {
  const opened = files.map(({ path, passphrase }) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new KmsError('ValidationException', `${path} cannot be read.`);
    }
    const file = readShareFile(text, path);
    return { share: openShareFile(file, passphrase, path), custodian: file.Custodian };
  });
  return { shares: opened.map((o) => o.share), custodians: opened.map((o) => o.custodian) };
}
