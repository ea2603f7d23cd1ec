'use strict';
// Chains and inserts audit rows into the vault database. Loaded in two ways:
// required by auditLog.ts for writes made on the calling thread, and started
// as a worker thread that takes batches off the calling thread (see
// auditLog.ts). Plain CommonJS so that it runs as a worker from source,
// bundle or app alike.
const { hash } = require('node:crypto');
const { isMainThread, parentPort, workerData } = require('node:worker_threads');

const ROWS_PER_INSERT = 100;

// Where each hash input is assembled (this thread's own; grows for a larger record).
let scratch = Buffer.alloc(64 * 1024);

/** hash(n) = SHA-256(hash(n-1) ‖ n as 8 bytes big-endian ‖ stored record JSON); hash(0) is 32 zero bytes. */
function chainHash(previous, seq, record) {
  const length = 40 + Buffer.byteLength(record);
  if (length > scratch.length) scratch = Buffer.alloc(length * 2);
  scratch.set(previous, 0);
  scratch.writeUInt32BE(Math.floor(seq / 2 ** 32), 32);
  scratch.writeUInt32BE(seq >>> 0, 36);
  scratch.write(record, 40, 'utf8');
  return hash('sha256', scratch.subarray(0, length), 'buffer');
}

/**
 * A function that appends events to `db`'s audit table in one transaction:
 * it serializes each as compact JSON, numbers and chains them after the last
 * row there (so whichever thread writes, the chain continues where it
 * stands), a hundred rows per statement.
 */
function rowWriter(db) {
  const columns = 'INSERT INTO audit (seq, event_time, event_name, record, hash) VALUES ';
  const one = db.prepare(`${columns}(?, ?, ?, ?, ?)`);
  const many = db.prepare(columns + Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', '));
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const append = db.transaction((rows) => {
    const head = last.get();
    let seq = head ? head.seq : 0;
    let chained = head ? head.hash : Buffer.alloc(32);
    const values = [];
    for (const row of rows) {
      const record = JSON.stringify(row);
      seq += 1;
      chained = chainHash(chained, seq, record);
      values.push(seq, row.eventTime, row.eventName, record, chained);
    }
    let at = 0;
    for (; at + ROWS_PER_INSERT * 5 <= values.length; at += ROWS_PER_INSERT * 5) many.run(values.slice(at, at + ROWS_PER_INSERT * 5));
    for (; at < values.length; at += 5) one.run(values.slice(at, at + 5));
  });
  // Taken for writing at once, so that a busy database is waited for (busy_timeout) rather than failing between the read and the write.
  return (rows) => append.immediate(rows);
}

// As a worker: write each batch in order; after each, publish its ticket in
// signal[0] (and 1 in signal[1] if it failed) and wake a thread waiting for it.
if (!isMainThread && workerData && workerData.strongroomAuditWriter === true) {
  const Database = require('better-sqlite3');
  const db = new Database(workerData.file);
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = FULL');
  const write = rowWriter(db);
  const signal = new Int32Array(workerData.signal);
  parentPort.on('message', ({ rows, ticket }) => {
    try {
      write(rows);
    } catch {
      Atomics.store(signal, 1, 1);
    }
    Atomics.store(signal, 0, ticket);
    Atomics.notify(signal, 0);
  });
}

module.exports = { chainHash, rowWriter };
