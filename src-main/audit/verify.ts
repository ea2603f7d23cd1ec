import type { KeyObject } from 'node:crypto';
import type { Db } from '../vault/db';
import { readVault, vaultOwner } from '../vault/vaultRepo';
import { chainHash } from './auditWriter.cjs';
import { NO_HASH, parseCheckpoint, payloadHash, publicKeyFrom, readAuditKey, readCheckpoints, readRetiredAuditKeys, signatureValid, type Checkpoint, type SignedCheckpoint } from './checkpoint';
import { toCloudTrail } from './record';

/** What `audit verify` found wrong, by kind. */
export type AuditProblem =
  | 'RecordMissing' // a sequence number is missing: a record was deleted and the rest left as they were
  | 'RecordChanged' // a record does not hash to its stored chain hash, or its columns differ from it
  | 'ChainMismatch' // the chain was rewritten (records changed, removed and renumbered) and recomputed: it no longer reaches a signed chain head
  | 'Truncated' // records a signed checkpoint covers were cut from the end
  | 'Emptied' // the table is empty, though signed checkpoints cover records
  | 'CheckpointMissing' // a checkpoint was removed, replaced or put out of order
  | 'BadSignature' // a checkpoint's signature does not verify with the audit key
  | 'KeyMismatch' // the vault's audit public key is not the one given (or the token's)
  | 'SearchMismatch' // the search tables (audit_search, audit_keys) disagree with the records: a filtered view could hide or misplace records
  | 'RolledBack'; // the token keeps a checkpoint the vault's files do not: they were rolled back to an older copy or replaced

/** What `audit verify` found. */
export interface VerifyResult {
  Valid: boolean;
  /** Records checked and found good (all of them when Valid). */
  Records: number;
  /** Signed checkpoints checked. */
  Checkpoints: number;
  /** Records the newest signed checkpoint covers; those after it are chained but not yet signed. */
  SignedRecords: number;
  /** Whether the vault's newest checkpoint was compared with the one the token keeps (needs the vault unlocked). */
  TokenCompared: boolean;
  /** The sequence number of the first record that is missing or does not match the chain. */
  FirstBadRecord?: number;
  Reason?: AuditProblem;
  Problem?: string;
}

/** One record of the chain as a verifier reads it. */
interface ChainRow {
  seq: number;
  record: string;
  hash: Buffer;
  /** The columns or the exported CloudTrail fields agree with the stored record. */
  consistent: boolean;
  /** The record's search entry and keys agree with it (an export has none: true). */
  searchable: boolean;
}

/** What one verification looks at: the records, the signed checkpoints, the key to check them with, and the token's checkpoint when it was read. */
interface Evidence {
  rows: Iterable<ChainRow>;
  checkpoints: readonly SignedCheckpoint[];
  vaultId: string;
  /** The audit key's public half; undefined for a vault that has none yet. */
  publicKey: KeyObject | undefined;
  /** The audit keys before it (the vault moved to another token), oldest first, each with the last checkpoint it signed. */
  retiredKeys: readonly { untilCheckpoint: number; publicKey: KeyObject }[];
  /** Set when the token was read: the checkpoint it keeps and its audit public key (SPKI DER), each undefined when it has none. */
  token?: TokenEvidence;
  /** The lowest sequence number a search entry names with no record to back it (the vault's table only). */
  strayEntry?: number | undefined;
}

/** What the token holds for the vault's audit log, read with the vault unlocked. */
export interface TokenEvidence {
  checkpoint: SignedCheckpoint | undefined;
  publicKey: Buffer | undefined;
}

class Failure extends Error {
  constructor(
    readonly reason: AuditProblem,
    message: string,
    readonly firstBadRecord?: number,
  ) {
    super(message);
  }
}

/** Checks the signatures and order of the checkpoints; returns what they state, oldest first. */
function checkedCheckpoints(evidence: Evidence): Checkpoint[] {
  const out: Checkpoint[] = [];
  let previous = NO_HASH;
  for (const [i, signed] of evidence.checkpoints.entries()) {
    const n = String(i + 1);
    const key = evidence.retiredKeys.find((retired) => i + 1 <= retired.untilCheckpoint)?.publicKey ?? evidence.publicKey;
    if (key === undefined || !signatureValid(key, signed)) {
      throw new Failure('BadSignature', `Checkpoint ${n}'s signature does not verify with the audit public key that signed it then: the checkpoint was changed, or signed by another key.`);
    }
    const checkpoint = parseCheckpoint(signed.payload);
    const before = out.at(-1);
    if (checkpoint?.number !== i + 1 || checkpoint.previous !== previous || checkpoint.vaultId !== evidence.vaultId || checkpoint.lastRecord < (before?.lastRecord ?? 0)) {
      throw new Failure('CheckpointMissing', `Checkpoint ${n} is not the one that follows checkpoint ${String(i)}: checkpoints were removed, replaced or reordered, or come from another vault.`);
    }
    out.push(checkpoint);
    previous = payloadHash(signed.payload);
  }
  return out;
}

/**
 * Walks the chain from the first record, checking each against its hash and
 * every signed chain head on the way; returns how many records there are,
 * and the first whose search entry disagrees with it (reported after any
 * problem of the chain itself, which such a disagreement often follows).
 */
function walkChain(rows: Iterable<ChainRow>, checkpoints: readonly Checkpoint[]): { records: number; unsearchable: number | undefined } {
  const heads = new Map(checkpoints.map((c) => [c.lastRecord, c]));
  let unsearchable: number | undefined;
  let previous: Buffer = Buffer.alloc(32);
  let expected = 1;
  for (const row of rows) {
    if (row.seq !== expected) throw new Failure('RecordMissing', `Record ${String(expected)} is missing (the next one is ${String(row.seq)}).`, expected);
    const hash = chainHash(previous, row.seq, row.record);
    if (!hash.equals(row.hash)) throw new Failure('RecordChanged', `Record ${String(row.seq)} does not match the chain: it was changed, moved, or a record before it was.`, row.seq);
    if (!row.consistent) throw new Failure('RecordChanged', `Record ${String(row.seq)}'s event name or time column (or exported fields) differs from the record: it was changed.`, row.seq);
    if (!row.searchable) unsearchable ??= row.seq;
    const signed = heads.get(row.seq);
    if (signed !== undefined && signed.chainHead !== hash.toString('hex')) {
      throw new Failure(
        'ChainMismatch',
        `The chain at record ${String(row.seq)} is not the one checkpoint ${String(signed.number)} signed (${signed.time}): records up to it were changed, or removed and the rest renumbered, and the chain recomputed.`,
        row.seq,
      );
    }
    previous = hash;
    expected += 1;
  }
  return { records: expected - 1, unsearchable };
}

/** Compares the vault's checkpoints with the one the token keeps. */
function compareWithToken(evidence: Evidence, kept: SignedCheckpoint | undefined, newest: Checkpoint | undefined): void {
  if (kept === undefined) return;
  const tokenSays = parseCheckpoint(kept.payload);
  if (evidence.publicKey === undefined || tokenSays === undefined || !signatureValid(evidence.publicKey, kept)) {
    throw new Failure('KeyMismatch', "The token's checkpoint is not signed by the vault's audit key: the vault's audit key or files were replaced.");
  }
  const same = evidence.checkpoints[tokenSays.number - 1];
  if (same?.payload === kept.payload) return;
  if (newest === undefined) {
    throw new Failure('Emptied', `The vault holds no checkpoint, but the token keeps checkpoint ${String(tokenSays.number)} (record ${String(tokenSays.lastRecord)}, ${tokenSays.time}): the log and its checkpoints were emptied.`);
  }
  const theirs = `number ${String(newest.number)}, record ${String(newest.lastRecord)}, ${newest.time}`;
  throw new Failure(
    'RolledBack',
    `The token keeps checkpoint ${String(tokenSays.number)} (record ${String(tokenSays.lastRecord)}, ${tokenSays.time}), which the vault's files do not hold (their newest: ${theirs}): the files were rolled back to an older copy or replaced.`,
  );
}

/** Checks the chain, the signed checkpoints and, when given, the token's checkpoint; reports the first problem found. */
function verifyEvidence(evidence: Evidence): VerifyResult {
  let records = 0;
  let checkpoints: Checkpoint[] = [];
  const result = (): Omit<VerifyResult, 'Valid'> => ({
    Records: records,
    Checkpoints: checkpoints.length,
    SignedRecords: checkpoints.at(-1)?.lastRecord ?? 0,
    TokenCompared: evidence.token !== undefined,
  });
  try {
    checkpoints = checkedCheckpoints(evidence);
    const walked = walkChain(evidence.rows, checkpoints);
    records = walked.records;
    const newest = checkpoints.at(-1);
    if (newest === undefined && evidence.publicKey !== undefined) {
      // Every vault signs a first checkpoint when it gets its audit key (at init, or at the first unlock of an older vault).
      if (records === 0) throw new Failure('Emptied', 'The audit log holds no record and no checkpoint, though the vault has an audit key: it was emptied.');
      throw new Failure('CheckpointMissing', 'The vault has an audit key but no signed checkpoint, though it holds records: its checkpoints were removed.');
    }
    if (newest !== undefined && newest.lastRecord > records) {
      if (records === 0) throw new Failure('Emptied', `The audit log holds no record, but checkpoint ${String(newest.number)} (${newest.time}) signed ${String(newest.lastRecord)}: it was emptied.`, 1);
      throw new Failure('Truncated', `The audit log ends at record ${String(records)}, but checkpoint ${String(newest.number)} (${newest.time}) signed ${String(newest.lastRecord)}: records were cut from its end.`, records + 1);
    }
    if (evidence.token !== undefined) compareWithToken(evidence, evidence.token.checkpoint, newest);
    if (walked.unsearchable !== undefined) {
      throw new Failure('SearchMismatch', `Record ${String(walked.unsearchable)}'s search entry or keys differ from the record: filters could hide it or show it where it does not belong.`, walked.unsearchable);
    }
    if (evidence.strayEntry !== undefined) {
      throw new Failure('SearchMismatch', `The search tables place record ${String(evidence.strayEntry)} where its record does not belong, or name a record that is not there: filters could show records wrongly.`);
    }
    return { Valid: true, ...result() };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const first = error.firstBadRecord;
    if (first !== undefined) records = first - 1;
    return { Valid: false, ...result(), ...(first === undefined ? {} : { FirstBadRecord: first }), Reason: error.reason, Problem: error.message };
  }
}

/** A record's JSON in SQL, or an empty object when it is not valid JSON. */
const RECORD = `CASE WHEN json_valid(record) THEN record ELSE '{}' END`;
/** The resources of a record (`r`) that are key ARNs, and the key id in each. */
const KEY_RESOURCES = `json_each(${RECORD}, '$.resources') AS r WHERE r.type = 'text' AND instr(r.value, ':key/') > 0`;
const KEY_ID = `substr(r.value, instr(r.value, ':key/') + 5)`;

/** Whether the row's search entry and keys (see migration 0006) are what its record says. */
const SEARCH_MATCHES = `
  EXISTS (SELECT 1 FROM audit_search AS s WHERE s.seq = audit.seq AND s.event_time IS audit.event_time AND s.event_name IS audit.event_name
    AND s.caller IS CAST(CASE json_extract(${RECORD}, '$.identity') WHEN 'User' THEN json_extract(${RECORD}, '$.principal') ELSE json_extract(${RECORD}, '$.identity') END AS TEXT)
    AND s.is_error IS (json_type(${RECORD}, '$.errorCode') IS NOT NULL) AND s.data_plane IS (json_extract(${RECORD}, '$.managementEvent') IS 0))
  AND NOT EXISTS (SELECT 1 FROM ${KEY_RESOURCES} AND NOT EXISTS (SELECT 1 FROM audit_keys AS k WHERE k.key_id = ${KEY_ID} AND k.seq = audit.seq))`;

/** Whether the vault file's schema is at `version` or later: a file an older release holds open, read here without migrating, lacks the tables added since. */
function schemaAtLeast(db: Db, version: number): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= version;
}

/** Whether the vault file has the search tables (schema 6 on). */
const searchable = (db: Db): boolean => schemaAtLeast(db, 6);
/** Whether the vault file has the table of retired audit keys (schema 15 on). */
const hasRetiredKeys = (db: Db): boolean => schemaAtLeast(db, 15);

/** The records of the vault's table, with whether their columns and search entries agree with them. */
function* tableRows(db: Db): Generator<ChainRow> {
  const rows = db.prepare(
    `SELECT seq, record, hash,
       CASE WHEN json_valid(record) THEN event_name IS json_extract(record, '$.eventName') AND event_time IS json_extract(record, '$.eventTime') ELSE 0 END AS columnsMatch,
       ${searchable(db) ? SEARCH_MATCHES : '1'} AS searchMatches
     FROM audit ORDER BY seq`,
  );
  for (const row of rows.iterate() as IterableIterator<{ seq: number; record: string; hash: Buffer; columnsMatch: number; searchMatches: number }>) {
    yield { seq: row.seq, record: row.record, hash: row.hash, consistent: row.columnsMatch === 1, searchable: row.searchMatches === 1 };
  }
}

/** The lowest sequence number that a search entry or key row names but no record backs (such rows would place records where they do not belong), if any. */
function strayEntry(db: Db): number | undefined {
  if (!searchable(db)) return undefined;
  const stray = db
    .prepare(
      `SELECT min(seq) FROM (
         SELECT seq FROM audit_search WHERE seq NOT IN (SELECT seq FROM audit)
         UNION ALL
         SELECT k.seq FROM audit_keys AS k WHERE NOT EXISTS (SELECT 1 FROM audit WHERE audit.seq = k.seq AND EXISTS (SELECT 1 FROM ${KEY_RESOURCES} AND ${KEY_ID} = k.key_id)))`,
    )
    .pluck()
    .get() as number | null;
  return stray ?? undefined;
}

/** What {@link verifyAuditLog} also checks when it is given them. */
export interface VerifyOptions {
  /** The audit public key the verifier trusts (an auditor's copy); the vault's own must be the same. */
  publicKey?: KeyObject;
  /** What the token holds (read with the vault unlocked). */
  token?: TokenEvidence;
}

/** The vault's audit public key, checked against the one the verifier trusts; KeyMismatch as a result otherwise. */
function trustedKey(stored: KeyObject | undefined, pinned: KeyObject | undefined): KeyObject | undefined | VerifyResult {
  if (pinned === undefined || stored?.equals(pinned) === true) return pinned ?? stored;
  return { Valid: false, Records: 0, Checkpoints: 0, SignedRecords: 0, TokenCompared: false, Reason: 'KeyMismatch', Problem: 'The audit public key given is not the one the log was signed with: the log, or the key, is not the one you trust.' };
}

/**
 * Verifies the vault's audit log: walks the hash chain from the first record
 * and checks every signed checkpoint (its signature with the vault's audit
 * key, its place after the one before, the chain head it signed), then
 * that no signed record is missing from the end; with `options.token`, that
 * the token's checkpoint is one of the vault's. Reports the first problem,
 * by kind (Reason) and in words (Problem).
 */
export function verifyAuditLog(db: Db, options: VerifyOptions = {}): VerifyResult {
  const stored = readAuditKey(db);
  const onToken = options.token?.publicKey;
  const pinned = options.publicKey ?? (onToken === undefined ? undefined : publicKeyFrom(onToken));
  const key = trustedKey(stored === undefined ? undefined : publicKeyFrom(stored.publicKey), pinned);
  if (key !== undefined && 'Valid' in key) return key;
  return verifyEvidence({
    rows: tableRows(db),
    strayEntry: strayEntry(db),
    checkpoints: readCheckpoints(db),
    vaultId: readVault(db)?.vaultId ?? '',
    publicKey: key,
    retiredKeys: hasRetiredKeys(db) ? readRetiredAuditKeys(db).map(({ untilCheckpoint, publicKey }) => ({ untilCheckpoint, publicKey: publicKeyFrom(publicKey) })) : [],
    ...(options.token === undefined ? {} : { token: options.token }),
  });
}

const EXPORT_PAGE = 1000;

/**
 * Every record as one line of CloudTrail JSON, oldest first, each with its
 * sequence number, chain hash and the stored record the chain hashes. Read a
 * thousand rows at a time, so that a slow reader does not hold the
 * database's log open (and growing) meanwhile.
 */
export function* exportAuditLog(db: Db): Generator<string> {
  const owner = vaultOwner(db);
  const page = db.prepare<[number, number], { seq: number; record: string; hash: Buffer }>('SELECT seq, record, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  for (let after = 0; ; ) {
    const rows = page.all(after, EXPORT_PAGE);
    for (const row of rows) yield JSON.stringify(exportedRecord(row, owner));
    const last = rows.at(-1);
    if (last === undefined || rows.length < EXPORT_PAGE) return;
    after = last.seq;
  }
}

function exportedRecord(row: { seq: number; record: string; hash: Buffer }, owner: { region: string; accountId: string }): Record<string, unknown> {
  return { ...toCloudTrail(row.record, row.hash, owner), strongroomSequence: row.seq, strongroomChainHash: row.hash.toString('hex'), strongroomRecord: row.record };
}

/** The first line of an export file: whose log it is, and the audit public key (PEM) that signed its checkpoints. */
interface ExportHeader {
  strongroomAuditExport: 1;
  vaultId: string;
  accountId: string;
  region: string;
  auditPublicKey: string | null;
  /** The audit keys before it (PEM), each with the last checkpoint it signed. */
  retiredAuditKeys?: { untilCheckpoint: number; publicKey: string }[];
}

/** The line of an export file that carries one signed checkpoint. */
interface ExportedCheckpoint {
  strongroomCheckpoint: { payload: string; signature: string };
}

const pem = (spki: Buffer): string => publicKeyFrom(spki).export({ type: 'spki', format: 'pem' }).toString();

/**
 * An export file's lines: a header (the vault, the audit public key in PEM),
 * every record ({@link exportAuditLog}), then every signed checkpoint
 * (payload and base64 DER signature), as `audit verify --export` reads them.
 */
export function* exportAuditFile(db: Db): Generator<{ line: string; isRecord: boolean }> {
  const vault = readVault(db);
  const key = readAuditKey(db);
  const header: ExportHeader = {
    strongroomAuditExport: 1,
    vaultId: vault?.vaultId ?? '',
    ...vaultOwner(db),
    auditPublicKey: key === undefined ? null : pem(key.publicKey),
    retiredAuditKeys: hasRetiredKeys(db) ? readRetiredAuditKeys(db).map(({ untilCheckpoint, publicKey }) => ({ untilCheckpoint, publicKey: pem(publicKey) })) : [],
  };
  const checkpoints = readCheckpoints(db); // read first: a checkpoint written meanwhile would cover records this export does not hold
  yield { line: JSON.stringify(header), isRecord: false };
  for (const line of exportAuditLog(db)) yield { line, isRecord: true };
  for (const { payload, signature } of checkpoints) {
    const exported: ExportedCheckpoint = { strongroomCheckpoint: { payload, signature: signature.toString('base64') } };
    yield { line: JSON.stringify(exported), isRecord: false };
  }
}

/**
 * Verifies an export file's lines with the audit public key the verifier
 * trusts, without the vault or its PIN: the chain over each stored record,
 * each record's CloudTrail fields against the stored record, and the signed
 * checkpoints, as {@link verifyAuditLog} does.
 */
export function verifyExport(lines: readonly string[], publicKey: KeyObject): VerifyResult {
  const parsed = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  const header = parsed[0] as Partial<ExportHeader> | undefined;
  if (header?.strongroomAuditExport !== 1) throw new Error('This is not a Strongroom audit export: its first line is not the export header.');
  const exportedKey = typeof header.auditPublicKey === 'string' ? publicKeyFrom(header.auditPublicKey) : undefined;
  const key = trustedKey(exportedKey, publicKey);
  if (key !== undefined && 'Valid' in key) return key;
  const owner = { region: String(header.region), accountId: String(header.accountId) };
  const rows: ChainRow[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  for (const line of parsed.slice(1)) {
    const checkpoint = line.strongroomCheckpoint as { payload?: unknown; signature?: unknown } | undefined; // as read: any JSON
    if (checkpoint !== undefined) {
      checkpoints.push({ payload: String(checkpoint.payload), signature: Buffer.from(String(checkpoint.signature), 'base64') });
      continue;
    }
    const seq = Number(line.strongroomSequence);
    const record = String(line.strongroomRecord);
    const hash = Buffer.from(String(line.strongroomChainHash), 'hex');
    let consistent = false;
    try {
      consistent = JSON.stringify(exportedRecord({ seq, record, hash }, owner)) === JSON.stringify(line);
    } catch {
      // A stored record that is not JSON: inconsistent.
    }
    rows.push({ seq, record, hash, consistent, searchable: true });
  }
  const retiredKeys = (header.retiredAuditKeys ?? []).map(({ untilCheckpoint, publicKey: retired }) => ({ untilCheckpoint, publicKey: publicKeyFrom(retired) }));
  return verifyEvidence({ rows, checkpoints, vaultId: String(header.vaultId), publicKey: key, retiredKeys });
}
