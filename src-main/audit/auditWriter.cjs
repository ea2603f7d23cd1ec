'use strict';
// Chains and inserts audit rows into the vault database. Loaded in two ways:
// required by auditLog.ts, which packs records into batches and writes some
// on the calling thread, and started as a worker thread that takes batches
// off the calling thread (see auditLog.ts). Plain CommonJS so that it runs as
// a worker from source, bundle or app alike.
//
// A batch is one buffer, so that it crosses to the writer thread without
// being copied or rebuilt. Each record in it is laid out as:
//   4 bytes   byte length of the record's JSON, big-endian
//   40 bytes  left for the writer: the previous record's hash and this
//             record's sequence number, so that the chain hashes
//             hash(n-1) ‖ n ‖ JSON where it lies
//   n bytes   the record's JSON (UTF-8)
//   1 byte    flags for the search entry: 1 the call failed, 2 it was cryptographic
// The JSON begins with the event time and name, then who called (record.ts
// writes them first), which the table also keeps in columns of their own;
// it ends with the resources the call touched. Beside each row the writer
// fills its search entry (audit_search) and its keys (audit_keys), which the
// audit screen's filters read (see migration 0006).
const { hash } = require('node:crypto');
const { isMainThread, parentPort, workerData } = require('node:worker_threads');

const ROWS_PER_INSERT = 100;
const CHAIN_BYTES = 40;
/** The event time and name at the start of a record's JSON, each without quotes or escapes (record.ts writes them so), then the caller's kind and, for a principal, its ARN as a JSON string. */
const COLUMNS = /^\{"eventTime":"([^"\\]*)","eventName":"([^"\\]*)"(?:,"identity":"([^"\\]*)"(?:,"principal":("(?:[^"\\]|\\.)*"))?)?/;
/** Where the resources begin: the record's last member, so the last occurrence is theirs (inside a string a quote is escaped). */
const RESOURCES = ',"resources":[';
const FAILED = 1;
const DATA_PLANE = 2;
const DEFAULT_CAPACITY = 64 * 1024;

/** Records packed one after another in a buffer of their own (see above), ready to hand to a writer. */
class RecordBatch {
  constructor(capacity = DEFAULT_CAPACITY) {
    this.bytes = Buffer.from(new ArrayBuffer(capacity));
    this.used = 0;
    this.count = 0;
  }

  /** Appends one record's JSON, and whether its call failed and was cryptographic. */
  add(json, failed, dataPlane) {
    const most = 4 + CHAIN_BYTES + json.length * 3 + 1;
    if (this.used + most > this.bytes.length) this.grow(this.used + most);
    const at = this.used;
    const length = this.bytes.write(json, at + 4 + CHAIN_BYTES);
    this.bytes.writeUInt32BE(length, at);
    this.bytes[at + 4 + CHAIN_BYTES + length] = (failed ? FAILED : 0) | (dataPlane ? DATA_PLANE : 0);
    this.used = at + 4 + CHAIN_BYTES + length + 1;
    this.count += 1;
  }

  /** An empty batch with room for a quarter more bytes than this one holds (or the default): the next batch is likely to be as full. */
  next() {
    return new RecordBatch(Math.max(Math.ceil(this.used * 1.25), DEFAULT_CAPACITY));
  }

  grow(needed) {
    const bigger = Buffer.from(new ArrayBuffer(Math.max(needed, this.bytes.length * 2)));
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}

/** hash(n) = SHA-256(hash(n-1) ‖ n as 8 bytes big-endian ‖ stored record JSON); hash(0) is 32 zero bytes. `input` holds the record's JSON after 40 bytes of room for the rest. */
function chainInPlace(previous, seq, input) {
  input.set(previous, 0);
  input.writeUInt32BE(Math.floor(seq / 2 ** 32), 32);
  input.writeUInt32BE(seq >>> 0, 36);
  return hash('sha256', input, 'buffer');
}

/** The chain hash of a record already stored (for verification). */
function chainHash(previous, seq, record) {
  const input = Buffer.allocUnsafe(CHAIN_BYTES + Buffer.byteLength(record)); // every byte is written
  input.write(record, CHAIN_BYTES, 'utf8');
  return chainInPlace(previous, seq, input);
}

/** The key ids among a record's resources (what follows `:key/` in a key ARN), as SQLite's JSON functions read them (verify.ts checks them so). */
function keyIdsOf(record) {
  const at = record.lastIndexOf(RESOURCES);
  if (at < 0) return [];
  const ids = [];
  for (const resource of JSON.parse(record.slice(at + RESOURCES.length - 1, -1))) {
    const key = typeof resource === 'string' ? resource.indexOf(':key/') : -1;
    if (key >= 0) ids.push(resource.slice(key + 5));
  }
  return ids;
}

/** A function that runs `into` (an INSERT up to its VALUES) on a flat list of rows of `width` values, a hundred rows per statement. */
function inserter(db, into, width) {
  const row = `(${Array(width).fill('?').join(', ')})`;
  const one = db.prepare(`${into} VALUES ${row}`);
  const many = db.prepare(`${into} VALUES ${Array(ROWS_PER_INSERT).fill(row).join(', ')}`);
  return (values) => {
    let at = 0;
    for (; at + ROWS_PER_INSERT * width <= values.length; at += ROWS_PER_INSERT * width) many.run(values.slice(at, at + ROWS_PER_INSERT * width));
    for (; at < values.length; at += width) one.run(values.slice(at, at + width));
  };
}

/**
 * A function that appends the records of a packed batch (its bytes and how
 * many of them are used) to `db`'s audit table in one transaction: it numbers
 * and chains them after the last row there (so whichever thread writes, the
 * chain continues where it stands), a hundred rows per statement, each with
 * its search entry and keys.
 */
function rowWriter(db) {
  const insertRecords = inserter(db, 'INSERT INTO audit (seq, event_time, event_name, record, hash)', 5);
  const insertSearch = inserter(db, 'INSERT INTO audit_search (seq, event_time, event_name, caller, is_error, data_plane)', 6);
  const insertKeys = inserter(db, 'INSERT OR IGNORE INTO audit_keys (key_id, seq)', 2);
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const append = db.transaction((bytes, used) => {
    const head = last.get();
    let seq = head ? head.seq : 0;
    let chained = head ? head.hash : Buffer.alloc(32);
    const records = [];
    const search = [];
    const keys = [];
    for (let offset = 0; offset < used; ) {
      const length = bytes.readUInt32BE(offset);
      const jsonAt = offset + 4 + CHAIN_BYTES;
      const record = bytes.toString('utf8', jsonAt, jsonAt + length);
      const match = COLUMNS.exec(record);
      if (match === null) throw new Error('An audit record does not begin with its event time and name.');
      const flags = bytes[jsonAt + length];
      seq += 1;
      chained = chainInPlace(chained, seq, bytes.subarray(offset + 4, jsonAt + length));
      records.push(seq, match[1], match[2], record, chained);
      const caller = match[3] === 'User' ? JSON.parse(match[4] ?? '""') : (match[3] ?? null);
      search.push(seq, match[1], match[2], caller, flags & FAILED ? 1 : 0, flags & DATA_PLANE ? 1 : 0);
      for (const keyId of keyIdsOf(record)) keys.push(keyId, seq);
      offset = jsonAt + length + 1;
    }
    insertRecords(records);
    insertSearch(search);
    insertKeys(keys);
  });
  // Taken for writing at once, so that a busy database is waited for (busy_timeout) rather than failing between the read and the write.
  return (batch) => append.immediate(batch.bytes, batch.used);
}

// As a worker: write each batch in order; after each, publish its ticket in
// signal[0] (and 1 in signal[1] if it failed) and wake a thread waiting for it.
/** The writer thread's own connection to the vault database: it waits for a busy database, and syncs every commit to disk as the vault's connection does. */
function openWriterConnection(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = FULL');
  return db;
}

if (!isMainThread && workerData && workerData.strongroomAuditWriter === true) {
  const db = openWriterConnection(workerData.file);
  const write = rowWriter(db);
  const signal = new Int32Array(workerData.signal);
  parentPort.on('message', ({ buffer, used, ticket }) => {
    try {
      write({ bytes: Buffer.from(buffer), used });
    } catch {
      Atomics.store(signal, 1, 1);
    }
    Atomics.store(signal, 0, ticket);
    Atomics.notify(signal, 0);
  });
}

module.exports = { RecordBatch, chainHash, openWriterConnection, rowWriter };
