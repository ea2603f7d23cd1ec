import { randomUUID } from 'node:crypto';
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
  eventName: string;
  /** Management events change keys or the vault and are written before the call returns. */
  managementEvent: boolean;
  readOnly: boolean;
  userIdentity: UserIdentity;
  /** Which door the call came through: cli, app, host. */
  source: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  errorCode?: string;
  errorMessage?: string;
  /** ARNs of the keys the call touched. */
  resources?: readonly string[];
}

/** CloudTrail names request and response fields in lower camel case. */
function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A copy of `value` without any blob member (plaintext, ciphertext, key material), with CloudTrail's field names. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!BLOB_MEMBERS.has(key)) out[camel(key)] = withoutSecrets(inner);
  }
  return out;
}

/** The event as a CloudTrail record. */
export function toCloudTrail(event: AuditEvent, time: Date, region: string, accountId: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: event.userIdentity,
    eventTime: time.toISOString(),
    eventSource: 'kms.amazonaws.com',
    eventName: event.eventName,
    awsRegion: region,
    sourceIPAddress: `strongroom-${event.source}`,
    userAgent: `strongroom-${event.source}`,
    requestParameters: event.requestParameters === undefined ? null : withoutSecrets(event.requestParameters),
    responseElements: event.responseElements === undefined ? null : withoutSecrets(event.responseElements),
    ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode, errorMessage: event.errorMessage ?? '' }),
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: event.readOnly,
    resources: (event.resources ?? []).map((arn) => ({ accountId, type: 'AWS::KMS::Key', ARN: arn })),
    eventType: 'AwsApiCall',
    managementEvent: event.managementEvent,
    recipientAccountId: accountId,
    eventCategory: event.managementEvent ? 'Management' : 'Data',
  };
}
