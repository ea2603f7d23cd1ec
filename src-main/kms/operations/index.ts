import { KmsError } from '../../../src-shared/errors';
import { OPERATIONS, type OperationName } from '../../../src-shared/kms/shapes.generated';
import { validate } from '../../../src-shared/kms/validate';
import type { z } from 'zod';
import { errorMembers, type AuditEvent } from '../../audit/record';
import { callContext, type KmsContext } from '../context';
import type { Vault } from '../lifecycle/vault';
import { cancelKeyDeletion } from './cancelKeyDeletion';
import { createAlias } from './createAlias';
import { createKey } from './createKey';
import { decrypt } from './decrypt';
import { deleteAlias } from './deleteAlias';
import { describeKey } from './describeKey';
import { disableKey } from './disableKey';
import { disableKeyRotation } from './disableKeyRotation';
import { enableKey } from './enableKey';
import { enableKeyRotation } from './enableKeyRotation';
import { encrypt } from './encrypt';
import { generateDataKey } from './generateDataKey';
import { generateDataKeyWithoutPlaintext } from './generateDataKeyWithoutPlaintext';
import { generateRandom } from './generateRandom';
import { getKeyRotationStatus } from './getKeyRotationStatus';
import { listAliases } from './listAliases';
import { listKeyRotations } from './listKeyRotations';
import { listKeys } from './listKeys';
import { listResourceTags } from './listResourceTags';
import { reEncrypt } from './reEncrypt';
import { rotateKeyOnDemand } from './rotateKeyOnDemand';
import { scheduleKeyDeletion } from './scheduleKeyDeletion';
import { tagResource } from './tagResource';
import { untagResource } from './untagResource';
import { updateAlias } from './updateAlias';
import { updateKeyDescription } from './updateKeyDescription';

type Handler<N extends OperationName> = (ctx: KmsContext, request: z.output<(typeof OPERATIONS)[N]['input']>) => z.input<(typeof OPERATIONS)[N]['output']>;

/** The operations this build implements, by AWS name. */
const HANDLERS: { [N in OperationName]?: Handler<N> } = {
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  CreateKey: createKey,
  Decrypt: decrypt,
  DeleteAlias: deleteAlias,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateRandom: generateRandom,
  GetKeyRotationStatus: getKeyRotationStatus,
  ListAliases: listAliases,
  ListKeyRotations: listKeyRotations,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  ReEncrypt: reEncrypt,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateKeyDescription: updateKeyDescription,
};

/** Cryptographic (data-plane) operations: their audit records are written in batches. */
const DATA_PLANE: ReadonlySet<OperationName> = new Set<OperationName>([
  'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
]);

/** Operations that change nothing. */
function isReadOnly(name: OperationName): boolean {
  return DATA_PLANE.has(name) || /^(Describe|List|Get)/.test(name);
}

/** The names of the implemented operations, in AWS's spelling. */
export function implementedOperations(): OperationName[] {
  return (Object.keys(HANDLERS) as OperationName[]).sort();
}

/** Refuses `__proto__` keys anywhere in a request: a schema would drop them silently (from an encryption context, say). */
function refuseProtoKeys(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Object.hasOwn(value, '__proto__')) throw new KmsError('ValidationException', 'Keys named __proto__ are not accepted anywhere in a request.');
  for (const inner of Object.values(value)) refuseProtoKeys(inner);
}

/** Request members CloudTrail records with their default when the caller leaves them out. */
const RECORDED_DEFAULTS: { readonly [N in OperationName]?: Readonly<Record<string, string>> } = {
  Encrypt: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  Decrypt: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  ReEncrypt: { SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
};

/** Operations whose records name the key they changed in responseElements.keyId, though their response is empty (CloudTrail does so since December 2022). */
const KEY_IN_RESPONSE: ReadonlySet<OperationName> = new Set<OperationName>(['EnableKey', 'DisableKey', 'EnableKeyRotation', 'UntagResource', 'UpdateAlias']);

/** What the audit log keeps of a request: the validated request with its recorded defaults, or only its field names when it did not validate (it may hold a misspelled secret). */
function recordedRequest(name: OperationName, input: unknown, request: unknown): unknown {
  if (request !== undefined) return Object.assign({}, RECORDED_DEFAULTS[name], request); // far quicker than spreading both into a literal
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? { invalidRequestFields: Object.keys(input).slice(0, 20) } : { invalidRequest: typeof input };
}

/**
 * What the audit log keeps of a response, as CloudTrail does: nothing for a
 * call that changes nothing (cryptographic calls included, whose responses
 * hold secrets); for an empty response, nothing or the ARN of the key it
 * changed (the last key the call resolved).
 */
function recordedResponse(name: OperationName, changes: boolean, response: unknown, resources: readonly string[]): unknown {
  if (!changes) return undefined;
  if (response !== null && typeof response === 'object' && Object.keys(response).length > 0) return response;
  const keyArn = resources.at(-1);
  return KEY_IN_RESPONSE.has(name) && keyArn !== undefined ? { KeyId: keyArn } : undefined;
}

/**
 * Runs one KMS operation from its AWS JSON request: validates the request
 * against the API model (ValidationException naming each bad field), calls
 * the operation, and records the call — allowed or refused, succeeded or
 * failed — in the audit log, without any plaintext or key material. An
 * operation that changes the vault commits its change and its record in one
 * transaction; when the log cannot be written, no call runs at all.
 */
export function invoke(vault: Vault, name: OperationName, input: unknown): unknown {
  vault.audit.assertWritable();
  const ctx = callContext(vault);
  const changes = !isReadOnly(name);
  const dataPlane = DATA_PLANE.has(name);
  let request: unknown;
  const event = (outcome: { response: unknown } | { error: unknown }): AuditEvent => {
    return {
      eventName: name,
      managementEvent: !dataPlane,
      readOnly: !changes,
      userIdentity: vault.identity(),
      source: vault.source,
      requestParameters: recordedRequest(name, input, request),
      ...('response' in outcome ? { responseElements: recordedResponse(name, changes, outcome.response, ctx.resources) } : {}),
      ...(Object.keys(ctx.eventData).length === 0 ? {} : { additionalEventData: ctx.eventData }),
      ...('error' in outcome ? errorMembers(outcome.error) : {}),
      resources: ctx.resources,
    };
  };
  try {
    const handler = HANDLERS[name] as Handler<OperationName> | undefined;
    if (handler === undefined) throw new KmsError('UnsupportedOperationException', `${name} is not available in this version of Strongroom.`);
    refuseProtoKeys(input);
    request = validate(OPERATIONS[name].input, input);
    const run = (): unknown => handler(ctx, request as never);
    if (changes) return vault.audit.recordWithChange(run, (response) => event({ response }));
    const response = run();
    vault.audit.record(event({ response }));
    return response;
  } catch (error) {
    vault.audit.record(event({ error })); // when the log itself has failed, this throws that instead
    throw error;
  }
}
