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
// The JSON begins with the event time and name (record.ts writes them
// first), which the table also keeps in columns of their own.
const { hash } = require('node:crypto');
const { isMainThread, parentPort, workerData } = require('node:worker_threads');

const ROWS_PER_INSERT = 100;
const CHAIN_BYTES = 40;
/** The event time and name at the start of a record's JSON, each without quotes or escapes (record.ts writes them so). */
const COLUMNS = /^\{"eventTime":"([^"\\]*)","eventName":"([^"\\]*)"/;
const DEFAULT_CAPACITY = 64 * 1024;

/** Records packed one after another in a buffer of their own (see above), ready to hand to a writer. */
class RecordBatch {
  constructor(capacity = DEFAULT_CAPACITY) {
    this.bytes = Buffer.from(new ArrayBuffer(capacity));
    this.used = 0;
    this.count = 0;
  }

  /** Appends one record's JSON. */
  add(json) {
    const most = 4 + CHAIN_BYTES + json.length * 3;
    if (this.used + most > this.bytes.length) this.grow(this.used + most);
    const at = this.used;
    const length = this.bytes.write(json, at + 4 + CHAIN_BYTES);
    this.bytes.writeUInt32BE(length, at);
    this.used = at + 4 + CHAIN_BYTES + length;
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

/**
 * A function that appends the records of a packed batch (its bytes and how
 * many of them are used) to `db`'s audit table in one transaction: it numbers
 * and chains them after the last row there (so whichever thread writes, the
 * chain continues where it stands), a hundred rows per statement.
 */
function rowWriter(db) {
  const insertInto = 'INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES ';
  const one = db.prepare(`${insertInto}(?, ?, ?, ?, ?)`);
  const many = db.prepare(insertInto + Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', '));
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const append = db.transaction((bytes, used) => {
    const head = last.get();
    let seq = head ? head.seq : 0;
    let chained = head ? head.hash : Buffer.alloc(32);
    const values = [];
    for (let offset = 0; offset < used; ) {
      const length = bytes.readUInt32BE(offset);
      const jsonAt = offset + 4 + CHAIN_BYTES;
      const record = bytes.toString('utf8', jsonAt, jsonAt + length);
      const match = COLUMNS.exec(record);
      if (match === null) throw new Error('An audit record does not begin with its event time and name.');
      seq += 1;
      chained = chainInPlace(chained, seq, bytes.subarray(offset + 4, jsonAt + length));
      values.push(seq, match[1], match[2], record, chained);
      offset = jsonAt + length;
    }
    let at = 0;
    for (; at + ROWS_PER_INSERT * 5 <= values.length; at += ROWS_PER_INSERT * 5) many.run(values.slice(at, at + ROWS_PER_INSERT * 5));
    for (; at < values.length; at += 5) one.run(values.slice(at, at + 5));
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
