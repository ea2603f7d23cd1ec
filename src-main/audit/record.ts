import { toErrorShape } from '../../src-shared/errors';
import { BLOB_MEMBERS } from '../../src-shared/kms/shapes.generated';

/** Who made a call, in CloudTrail's userIdentity shape. */
export interface UserIdentity {
  type: 'Root' | 'User' | 'Unknown';
  principalId?: string;
  arn?: string;
  accountId?: string;
}

/** One call as the audit log receives it. */
export interface AuditEvent {
  /** The operation or vault event (Unlock, Lock…): a name that needs no escaping in JSON (see storedJson). */
  eventName: string;
  /** Management events change keys or the vault and are written before the call returns. */
  managementEvent: boolean;
  readOnly: boolean;
  userIdentity: UserIdentity;
  /** Which door the call came through: cli, app, host. */
  source: string;
  requestParameters?: unknown;
  /** Left out of cryptographic calls' records, as CloudTrail does: their responses hold secrets. */
  responseElements?: unknown;
  /** CloudTrail's extra facts about a call: the key material a cryptographic call used. */
  additionalEventData?: Readonly<Record<string, string>>;
  errorCode?: string;
  errorMessage?: string;
  /** ARNs of the keys the call touched. */
  resources?: readonly string[];
}

/** The errorCode and errorMessage of the event of a call that failed with `error` (an unexpected error is recorded as KMSInternalException, without its details). */
export function errorMembers(error: unknown): Required<Pick<AuditEvent, 'errorCode' | 'errorMessage'>> {
  const shape = toErrorShape(error);
  return { errorCode: shape.__type, errorMessage: shape.message };
}

const camelNames = new Map<string, string>();

/** CloudTrail names the top-level request and response fields in lower camel case. */
function camel(name: string): string {
  let camelName = camelNames.get(name);
  if (camelName === undefined) {
    camelName = name.charAt(0).toLowerCase() + name.slice(1);
    if (camelNames.size < 1000) camelNames.set(name, camelName);
  }
  return camelName;
}

/** Members that hold an encryption context: a map of the caller's own keys and values, recorded whole whatever its keys are named. */
const CONTEXT_MEMBERS: ReadonlySet<string> = new Set(['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'EncryptionContextSubset', 'EncryptionContextEquals']);

function isContext(member: string): boolean {
  return CONTEXT_MEMBERS.has(member);
}

/** `inner`, the value of member `key`, without blob members below it. */
function memberWithoutBlobs(key: string, inner: unknown): unknown {
  return isContext(key) ? inner : dropBlobs(inner);
}

/** A copy of `value` without any member the AWS model types as a blob, at any depth; `rename` names its own members (not those below). */
function dropBlobs(value: unknown, rename: (name: string) => string = (name) => name): unknown {
  if (Array.isArray(value)) return value.map((item) => dropBlobs(item));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!BLOB_MEMBERS.has(key)) out[rename(key)] = memberWithoutBlobs(key, (value as Record<string, unknown>)[key]);
  return out;
}

/** The request or response as CloudTrail records it: no plaintext, ciphertext or key material, top-level names in camel case. */
export function withoutSecrets(value: unknown): unknown {
  return dropBlobs(value, camel);
}

/** What the audit table stores for one event: the parts that vary, as compact JSON (written by {@link storedJson}, which test/unit/auditRecord.test.ts holds to this shape; the chain hashes those bytes). */
export interface StoredRecord {
  eventTime: string;
  eventName: string;
  identity: UserIdentity['type'];
  source: string;
  readOnly: boolean;
  managementEvent: boolean;
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: Readonly<Record<string, string>>;
  errorCode?: string;
  errorMessage?: string;
  resources: readonly string[];
}

/** Strings that JSON writes as they are, between quotes: most of a record's (names, ARNs, ids, times). */
const PLAIN = /^[\w:/.+=@-]*$/;

/** `value` as JSON, as JSON.stringify writes it; `null` for undefined (an absent request or response). */
function toJson(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** A string as JSON, quoted without a second look when it needs no escaping. */
function quote(value: unknown): string {
  return typeof value === 'string' && PLAIN.test(value) ? `"${value}"` : toJson(value);
}

/** A string that must need no escaping (the writer thread reads it back from the start of the record), as JSON. */
function plain(value: unknown, what: string): string {
  if (typeof value !== 'string' || !PLAIN.test(value)) throw new RangeError(`An audit record's ${what} must be made of letters, digits and : / . + = @ - only.`);
  return `"${value}"`;
}

/** A map of strings (additionalEventData) as JSON. */
function stringMap(map: Readonly<Record<string, string>>): string {
  let json = '';
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value !== undefined) json += `${json === '' ? '' : ','}${quote(key)}:${quote(value)}`;
  }
  return `{${json}}`;
}

/**
 * The stored form of an event (a {@link StoredRecord}), without any blob
 * member, as compact JSON. Written piece by piece rather than by one
 * JSON.stringify of the whole record: this is a good part of what every
 * cryptographic call costs, and its fixed members need no escaping. Its
 * event time and name must need none (RangeError otherwise).
 */
export function storedJson(event: AuditEvent, eventTime: string): string {
  const request = toJson(withoutSecrets(event.requestParameters));
  const response = toJson(withoutSecrets(event.responseElements));
  let json =
    `{"eventTime":${plain(eventTime, 'time')},"eventName":${plain(event.eventName, 'event name')},"identity":${quote(event.userIdentity.type)},"source":${quote(event.source)},` +
    `"readOnly":${String(event.readOnly)},"managementEvent":${String(event.managementEvent)},"requestParameters":${request},"responseElements":${response}`;
  if (event.additionalEventData !== undefined) json += `,"additionalEventData":${stringMap(event.additionalEventData)}`;
  if (event.errorCode !== undefined) json += `,"errorCode":${quote(event.errorCode)},"errorMessage":${quote(event.errorMessage ?? '')}`;
  let resources = '';
  for (const arn of event.resources ?? []) resources += `${resources === '' ? '' : ','}${quote(arn)}`;
  return `${json},"resources":[${resources}]}`;
}

/** A UUID-shaped id derived from `bytes` (the record's chain hash), so that it is stable across exports. */
function idFrom(bytes: Buffer, salt: number): string {
  const hex = Buffer.from(bytes.map((b, i) => (i === 0 ? b ^ salt : b))).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The stored record as a CloudTrail event, with the vault's region and account. */
export function toCloudTrail(stored: string, hash: Buffer, { region, accountId }: { region: string; accountId: string }): Record<string, unknown> {
  const r = JSON.parse(stored) as StoredRecord;
  const userIdentity: UserIdentity = r.identity === 'Unknown' ? { type: 'Unknown' } : { type: r.identity, principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId };
  return {
    eventVersion: '1.08',
    userIdentity,
    eventTime: r.eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName: r.eventName,
    awsRegion: region,
    sourceIPAddress: `strongroom-${r.source}`,
    userAgent: `strongroom-${r.source}`,
    requestParameters: r.requestParameters,
    responseElements: r.responseElements,
    ...(r.additionalEventData === undefined ? {} : { additionalEventData: r.additionalEventData }),
    ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode, errorMessage: r.errorMessage ?? '' }),
    requestID: idFrom(hash, 0x01),
    eventID: idFrom(hash, 0x02),
    readOnly: r.readOnly,
    resources: r.resources.map((arn) => ({ accountId, type: 'AWS::KMS::Key', ARN: arn })),
    eventType: 'AwsApiCall',
    managementEvent: r.managementEvent,
    recipientAccountId: accountId,
    eventCategory: r.managementEvent ? 'Management' : 'Data',
  };
}
