import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src-main/audit/auditLog';
import { RecordBatch, rowWriter } from '../../src-main/audit/auditWriter.cjs';
import { cloudTrailDate, storedJson, toCloudTrail, forCloudTrail, type AuditEvent } from '../../src-main/audit/record';
import Database from 'better-sqlite3';
import { migrate } from '../../src-main/vault/db';
import { verifyAuditLog } from '../../src-main/audit/verify';

/** Any text; often short runs of characters that JSON must escape (quotes, backslashes, control characters, lone surrogates) among those it need not. */
const escapes = fc.constantFrom('"', '\\', '\n', '\u0000', '\u007f', '\u2028', '\ud800', 'é', 'a', '0', ':', '/', '-', '=');
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: escapes, maxLength: 8 }));
const name = fc.oneof(fc.constantFrom('KeyId', 'Plaintext', 'CiphertextBlob', 'EncryptionContext', 'GrantTokens', 'NumberOfBytes'), text);
const member = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(text, text, { maxKeys: 3 }), fc.array(text, { maxLength: 3 }));

const event: fc.Arbitrary<AuditEvent> = fc.record(
  {
    eventName: fc.stringMatching(/^[A-Za-z]{1,30}$/),
    managementEvent: fc.boolean(),
    readOnly: fc.boolean(),
    userIdentity: fc.record({ type: fc.constantFrom('Root', 'User', 'Unknown', 'AWSService'), arn: text }, { requiredKeys: ['type'] }),
    source: text,
    sourceIp: text,
    userAgent: text,
    requestParameters: fc.dictionary(name, member, { maxKeys: 5 }),
    responseElements: fc.dictionary(name, member, { maxKeys: 3 }),
    additionalEventData: fc.dictionary(text, text, { maxKeys: 2 }),
    serviceEventDetails: fc.dictionary(text, text, { maxKeys: 2 }),
    errorCode: text,
    errorMessage: text,
    resources: fc.array(text, { maxLength: 3 }),
  },
  { requiredKeys: ['eventName', 'managementEvent', 'readOnly', 'userIdentity', 'source'] },
);

/** An in-memory database with the vault's schema, audit table included. */
function vaultDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  return db;
}

/** The stored record as one JSON.stringify of the whole would write it. */
function expected(e: AuditEvent, eventTime: string): string {
  return JSON.stringify({
    eventTime,
    eventName: e.eventName,
    identity: e.userIdentity.type,
    ...(e.userIdentity.type === 'User' ? { principal: e.userIdentity.arn ?? '' } : {}),
    source: e.source,
    ...(e.sourceIp === undefined ? {} : { sourceIPAddress: e.sourceIp }),
    ...(e.userAgent === undefined ? {} : { userAgent: e.userAgent }),
    readOnly: e.readOnly,
    managementEvent: e.managementEvent,
    requestParameters: e.requestParameters === undefined ? null : forCloudTrail(e.requestParameters),
    responseElements: e.responseElements === undefined ? null : forCloudTrail(e.responseElements),
    ...(e.additionalEventData === undefined ? {} : { additionalEventData: e.additionalEventData }),
    ...(e.serviceEventDetails === undefined ? {} : { serviceEventDetails: e.serviceEventDetails }),
    ...(e.errorCode === undefined ? {} : { errorCode: e.errorCode, errorMessage: e.errorMessage ?? '' }),
    resources: e.resources ?? [],
  });
}

describe('stored audit records', () => {
  it('are the JSON of the whole record, whatever text the event holds', () => {
    fc.assert(
      fc.property(event, fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(253402300799999) }), (e, date) => {
        const time = date.toISOString();
        expect(storedJson(e, time)).toBe(expected(e, time));
      }),
      { numRuns: 500 },
    );
  });

  it('cross to the writer packed in a batch and come out as the rows they were', () => {
    const db = vaultDb();
    const write = rowWriter(db);
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 150 }), fc.integer({ min: 1, max: 4096 }), (events, capacity) => {
        const before = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
        const batch = new RecordBatch(capacity);
        const time = new Date().toISOString();
        for (const e of events) batch.add(storedJson(e, time), e.errorCode !== undefined, !e.managementEvent);
        expect(batch.count).toBe(events.length);
        write(batch);
        const rows = db.prepare('SELECT event_time, event_name, record FROM audit WHERE seq > ? ORDER BY seq').all(before) as { event_time: string; event_name: string; record: string }[];
        expect(rows).toEqual(events.map((e) => ({ event_time: time, event_name: e.eventName, record: expected(e, time) })));
        // Each record's search entry and keys are what verify reads from the record.
        expect(verifyAuditLog(db)).toMatchObject({ Valid: true });
      }),
      { numRuns: 50 },
    );
    db.close();
  });

  it('refuses an event name or time that would need escaping, failing that call alone', () => {
    const db = vaultDb();
    const log = new AuditLog(db);
    const lock: AuditEvent = { eventName: 'Lock', managementEvent: true, readOnly: false, userIdentity: { type: 'Root' }, source: 'cli' };
    expect(() => storedJson(lock, 'a "quoted" time')).toThrow(RangeError);
    expect(() => {
      log.record({ ...lock, eventName: 'Not "a" name' });
    }).toThrow(RangeError);
    log.record(lock);
    expect(db.prepare('SELECT event_name FROM audit').all()).toEqual([{ event_name: 'Lock' }]);
    log.close();
    db.close();
  });

  it('fails the batch of a record that does not begin with its event time and name, and writes none of it', () => {
    const db = vaultDb();
    const batch = new RecordBatch();
    const time = new Date().toISOString();
    batch.add(storedJson({ eventName: 'Decrypt', managementEvent: false, readOnly: true, userIdentity: { type: 'Root' }, source: 'cli' }, time), false, true);
    batch.add(JSON.stringify({ eventName: 'Decrypt', eventTime: time }), false, true);
    expect(() => {
      rowWriter(db)(batch);
    }).toThrow(/event time and name/);
    expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('audit records as CloudTrail writes them', () => {
  it('name members in camel case at every depth, keep encryption contexts whole, and leave out blobs', () => {
    const request = {
      KeyId: 'alias/payroll',
      Plaintext: 'c2VjcmV0',
      EncryptionContext: { Department: 'Legal', Plaintext: 'a context key' },
      Tags: [{ TagKey: 'Team', TagValue: 'HR' }],
      KeyMetadata: { AWSAccountId: '111122223333', KeyId: 'k', CreationDate: 1660170307.5, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
    };
    expect(forCloudTrail(request)).toEqual({
      keyId: 'alias/payroll',
      encryptionContext: { Department: 'Legal', Plaintext: 'a context key' },
      tags: [{ tagKey: 'Team', tagValue: 'HR' }],
      keyMetadata: { AWSAccountId: '111122223333', keyId: 'k', creationDate: 'Aug 10, 2022, 10:25:07 PM', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
    });
  });

  it('write timestamps as the en-US medium date and time in UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (seconds) => {
        const reference = new Date(seconds * 1000).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' }).replace(/\u202f/g, ' ');
        expect(cloudTrailDate(seconds)).toBe(reference);
      }),
      { numRuns: 2000 },
    );
    expect(cloudTrailDate(Date.UTC(2021, 0, 14, 0, 41, 59) / 1000)).toBe('Jan 14, 2021, 12:41:59 AM');
  });

  it('make every call a management event, to the second, and a change the vault made itself a service event', () => {
    const owner = { region: 'local', accountId: '111122223333' };
    const hash = Buffer.alloc(32, 7);
    const decrypt: AuditEvent = { eventName: 'Decrypt', managementEvent: false, readOnly: true, userIdentity: { type: 'Root' }, source: 'cli', resources: ['arn:k'] };
    expect(toCloudTrail(storedJson(decrypt, '2026-11-23T09:14:45.010Z'), hash, owner)).toMatchObject({
      eventTime: '2026-11-23T09:14:45Z',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' },
      sourceIPAddress: 'strongroom-cli',
      requestID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/) as unknown,
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
    });
    const call = toCloudTrail(storedJson(decrypt, '2026-11-23T09:14:45.010Z'), hash, owner);
    expect(String(call.requestID).slice(0, 8)).not.toBe(String(call.eventID).slice(0, 8));
    const rotation: AuditEvent = {
      eventName: 'RotateKey', managementEvent: true, readOnly: false, userIdentity: { type: 'AWSService' }, source: 'app',
      serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS', previousKeyMaterialId: 'a', currentKeyMaterialId: 'b' }, resources: ['arn:k'],
    };
    const service = toCloudTrail(storedJson(rotation, '2026-11-23T09:14:45.010Z'), hash, owner);
    expect(service).toMatchObject({
      userIdentity: { accountId: '111122223333', invokedBy: 'AWS Internal' },
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      requestParameters: null,
      responseElements: null,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: rotation.serviceEventDetails,
      eventCategory: 'Management',
    });
    expect(service).not.toHaveProperty('requestID');
    expect(service.userIdentity).not.toHaveProperty('type');
  });
});
