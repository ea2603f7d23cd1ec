import { createHash } from 'node:crypto';
import { toErrorShape } from '../../src-shared/errors';
import { IAM_OPERATION_NAMES } from '../../src-shared/iam/operations';
import { lowerCamel } from '../../src-shared/kms/operationNames';
import { BLOB_MEMBERS, TIMESTAMP_MEMBERS } from '../../src-shared/kms/shapes.generated';

/** Who made a call, in CloudTrail's userIdentity shape; `AWSService` is the vault itself, acting on its own (a rotation or deletion that fell due, a managed key it creates). */
export interface UserIdentity {
  type: 'Root' | 'User' | 'Unknown' | 'AWSService';
  principalId?: string;
  arn?: string;
  accountId?: string;
  /** The access key a user called with, or that a refused caller gave. */
  accessKeyId?: string;
}

/** One call as the audit log receives it. */
export interface AuditEvent {
  /** The operation or vault event (Unlock, Lock…): a name that needs no escaping in JSON (see storedJson). */
  eventName: string;
  /** False for cryptographic calls. A record of a change (a management event that is not read-only) or of a failure is written before its call returns; the others may be written in batches. CloudTrail files every KMS call as a management event (see {@link toCloudTrail}). */
  managementEvent: boolean;
  readOnly: boolean;
  userIdentity: UserIdentity;
  /** Which door the call came through: cli, app, host. */
  source: string;
  /** The address a network door saw the call come from (CloudTrail's sourceIPAddress); a local door has none. */
  sourceIp?: string;
  /** The client's name for itself (CloudTrail's userAgent), when a door was told one. */
  userAgent?: string;
  requestParameters?: unknown;
  /** Left out of the records of calls that change nothing, as CloudTrail does (cryptographic calls' responses hold secrets). */
  responseElements?: unknown;
  /** CloudTrail's extra facts about a call: the key material a cryptographic call used. */
  additionalEventData?: Readonly<Record<string, string>>;
  /** What the vault did on its own, for a change it made by itself (CloudTrail's serviceEventDetails). */
  serviceEventDetails?: Readonly<Record<string, string>>;
  errorCode?: string;
  errorMessage?: string;
  /** ARNs of the keys (and, for alias calls, the alias) the call touched. */
  resources?: readonly string[];
}

/** The errorCode and errorMessage of the event of a call that failed with `error` (an unexpected error is recorded as KMSInternalException, without its details). */
export function errorMembers(error: unknown): Required<Pick<AuditEvent, 'errorCode' | 'errorMessage'>> {
  const shape = toErrorShape(error);
  return { errorCode: shape.__type, errorMessage: shape.message };
}

const camelNames = new Map<string, string>();

/** A member name as CloudTrail writes it ({@link lowerCamel}), remembered: every record of a call names the same members. */
function camel(name: string): string {
  let camelName = camelNames.get(name);
  if (camelName === undefined) {
    camelName = lowerCamel(name);
    if (camelNames.size < 1000) camelNames.set(name, camelName);
  }
  return camelName;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A timestamp (seconds since the epoch) as CloudTrail writes one in a request or response: `Aug 10, 2022, 10:38:27 PM`, in UTC. */
export function cloudTrailDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const hours = date.getUTCHours();
  const twoDigits = (n: number): string => String(n).padStart(2, '0');
  const time = `${String(hours % 12 === 0 ? 12 : hours % 12)}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  return `${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCDate())}, ${String(date.getUTCFullYear())}, ${time}`;
}

/** Members that hold an encryption context: a map of the caller's own keys and values, recorded whole whatever its keys are named. */
const CONTEXT_MEMBERS: ReadonlySet<string> = new Set(['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'EncryptionContextSubset', 'EncryptionContextEquals']);

/** `inner`, the value of member `key`, as CloudTrail records it: an encryption context whole (its names are the caller's), a timestamp as a date. */
function memberForCloudTrail(key: string, inner: unknown): unknown {
  if (typeof inner === 'object' && inner !== null) return CONTEXT_MEMBERS.has(key) ? inner : forCloudTrail(inner);
  return typeof inner === 'number' && TIMESTAMP_MEMBERS.has(key) ? cloudTrailDate(inner) : inner;
}

/**
 * The request or response as CloudTrail records it: without any member the
 * AWS model types as a blob (no plaintext, ciphertext or key material), with
 * member names in camel case and timestamps as dates, at any depth.
 */
export function forCloudTrail(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forCloudTrail);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!BLOB_MEMBERS.has(key)) out[camel(key)] = memberForCloudTrail(key, (value as Record<string, unknown>)[key]);
  return out;
}

/** What the audit table stores for one event: the parts that vary, as compact JSON (written by {@link storedJson}, which test/unit/auditRecord.test.ts holds to this shape; the chain hashes those bytes). */
export interface StoredRecord {
  eventTime: string;
  eventName: string;
  identity: UserIdentity['type'];
  /** The principal's ARN, for a principal other than the account root. */
  principal?: string;
  /** A user's unique id (AIDA…). */
  principalId?: string;
  /** The access key of a user's call, or of a refused caller. */
  accessKeyId?: string;
  source: string;
  sourceIPAddress?: string;
  userAgent?: string;
  readOnly: boolean;
  managementEvent: boolean;
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: Readonly<Record<string, string>>;
  serviceEventDetails?: Readonly<Record<string, string>>;
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
  const request = toJson(forCloudTrail(event.requestParameters));
  const response = toJson(forCloudTrail(event.responseElements));
  let json =
    `{"eventTime":${plain(eventTime, 'time')},"eventName":${plain(event.eventName, 'event name')},"identity":${quote(event.userIdentity.type)},` +
    (event.userIdentity.type === 'User' ? `"principal":${quote(event.userIdentity.arn ?? '')},` : '') +
    (event.userIdentity.principalId === undefined || event.userIdentity.type !== 'User' ? '' : `"principalId":${quote(event.userIdentity.principalId)},`) +
    (event.userIdentity.accessKeyId === undefined ? '' : `"accessKeyId":${quote(event.userIdentity.accessKeyId)},`) +
    `"source":${quote(event.source)},` +
    (event.sourceIp === undefined ? '' : `"sourceIPAddress":${quote(event.sourceIp)},`) +
    (event.userAgent === undefined ? '' : `"userAgent":${quote(event.userAgent)},`) +
    `"readOnly":${String(event.readOnly)},"managementEvent":${String(event.managementEvent)},"requestParameters":${request},"responseElements":${response}`;
  if (event.additionalEventData !== undefined) json += `,"additionalEventData":${stringMap(event.additionalEventData)}`;
  if (event.serviceEventDetails !== undefined) json += `,"serviceEventDetails":${stringMap(event.serviceEventDetails)}`;
  if (event.errorCode !== undefined) json += `,"errorCode":${quote(event.errorCode)},"errorMessage":${quote(event.errorMessage ?? '')}`;
  let resources = '';
  for (const arn of event.resources ?? []) resources += `${resources === '' ? '' : ','}${quote(arn)}`;
  return `${json},"resources":[${resources}]}`;
}

/** A UUID-shaped id derived from the record's chain hash and what it names (`requestID`, `eventID`): stable across exports, and unlike any other. */
function idFrom(hash: Buffer, name: string): string {
  const hex = createHash('sha256').update(name).update(hash).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The AWS service whose call an event records: reading the log is CloudTrail's own call; users, access keys and the simulator are IAM's; signing in to the interface as a user is the console's. */
function eventSourceOf(eventName: string): string {
  if (eventName === 'LookupEvents') return 'cloudtrail.amazonaws.com';
  if (eventName === 'ConsoleLogin') return 'signin.amazonaws.com';
  if (IAM_OPERATION_NAMES.has(eventName)) return 'iam.amazonaws.com';
  return 'kms.amazonaws.com';
}

/** What CloudTrail writes for the caller's address and agent, and for the invoker, of what AWS does on its own. */
const AWS_INTERNAL = 'AWS Internal';

/** Who made a call, as CloudTrail names them: the account root, another principal, or (for a change the vault made by itself) the service, as AWS names its own. */
function userIdentityOf(r: StoredRecord, accountId: string): Record<string, string> {
  const type = r.identity;
  const accessKey = r.accessKeyId === undefined ? {} : { accessKeyId: r.accessKeyId };
  if (type === 'Unknown') return { type, ...accessKey };
  if (type === 'AWSService') return { accountId, invokedBy: AWS_INTERNAL };
  if (type === 'User') {
    const arn = r.principal ?? '';
    return { type: 'IAMUser', principalId: r.principalId ?? arn, arn, accountId, ...accessKey, userName: arn.slice(arn.lastIndexOf('/') + 1) };
  }
  return { type, principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId };
}

/**
 * The stored record as a CloudTrail event, with the vault's region and
 * account. Every KMS call is a management event in CloudTrail (the stored
 * `managementEvent` is false for cryptographic calls only, and decides how the
 * record was written: see {@link AuditEvent}); times are to the second, as
 * CloudTrail writes them. A change the vault made by itself is a service
 * event, as AWS writes its own.
 */
export function toCloudTrail(stored: string, hash: Buffer, { region, accountId }: { region: string; accountId: string }): Record<string, unknown> {
  const r = JSON.parse(stored) as StoredRecord;
  const service = r.identity === 'AWSService';
  const from = service ? AWS_INTERNAL : `strongroom-${r.source}`;
  return {
    eventVersion: '1.08',
    userIdentity: userIdentityOf(r, accountId),
    eventTime: r.eventTime.replace(/\.\d+Z$/, 'Z'),
    eventSource: eventSourceOf(r.eventName),
    eventName: r.eventName,
    awsRegion: region,
    sourceIPAddress: r.sourceIPAddress ?? from,
    userAgent: r.userAgent ?? from,
    requestParameters: r.requestParameters,
    responseElements: r.responseElements,
    ...(r.additionalEventData === undefined ? {} : { additionalEventData: r.additionalEventData }),
    ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode, errorMessage: r.errorMessage ?? '' }),
    ...(service ? {} : { requestID: idFrom(hash, 'requestID') }),
    eventID: idFrom(hash, 'eventID'),
    readOnly: r.readOnly,
    resources: r.resources.map((arn) => ({ accountId, type: 'AWS::KMS::Key', ARN: arn })),
    eventType: service ? 'AwsServiceEvent' : 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    ...(r.serviceEventDetails === undefined ? {} : { serviceEventDetails: r.serviceEventDetails }),
    eventCategory: 'Management',
  };
}
