import type { Caller, Door } from '../../src-shared/caller';
import { errorMembers, type AuditEvent, type UserIdentity } from './record';

/** Who a record says acted: a caller; the vault itself, in the process that holds it through `door`; or someone not identified at `door` (with the access key they gave, if any). */
export type Actor = { readonly caller: Caller } | { readonly service: Door } | { readonly unknown: Door; readonly accessKeyId?: string };

/** What happened, for {@link auditEvent}. */
export interface EventFacts {
  /** The operation or vault event (Unlock, Lock, RotateKey…). */
  readonly eventName: string;
  readonly actor: Actor;
  /** `data`: a cryptographic call; `read`: changes nothing; `change`: changed the vault, or tried to. */
  readonly kind: 'data' | 'read' | 'change';
  readonly request?: unknown;
  /** The response as recorded: CloudTrail leaves out those of calls that change nothing. */
  readonly response?: unknown;
  /** The error the call failed with; absent for a success. */
  readonly error?: unknown;
  readonly resources?: readonly string[];
  /** CloudTrail's additionalEventData: the key material a cryptographic call used. */
  readonly eventData?: Readonly<Record<string, string>>;
  /** CloudTrail's serviceEventDetails, for what the vault did on its own. */
  readonly serviceDetails?: Readonly<Record<string, string>>;
}

/** CloudTrail's userIdentity of an actor. */
function identityOf(actor: Actor): UserIdentity {
  if ('service' in actor) return { type: 'AWSService' };
  if ('unknown' in actor) return actor.accessKeyId === undefined ? { type: 'Unknown' } : { type: 'Unknown', accessKeyId: actor.accessKeyId };
  const { principal, accessKeyId } = actor.caller;
  return { type: principal.type, principalId: principal.id ?? principal.accountId, arn: principal.arn, accountId: principal.accountId, ...(accessKeyId === undefined ? {} : { accessKeyId }) };
}

/** The door an actor came through. */
function doorOf(actor: Actor): Door {
  if ('service' in actor) return actor.service;
  if ('unknown' in actor) return actor.unknown;
  return actor.caller.door;
}

/**
 * The audit event of anything the vault records: a call by a caller, a
 * change the vault made by itself, an unlock or lock, a refused request.
 * Every record is built here, so that all of them name their actor, door
 * and outcome the same way.
 */
export function auditEvent(facts: EventFacts): AuditEvent {
  const { actor } = facts;
  const caller = 'caller' in actor ? actor.caller : undefined;
  const event: AuditEvent = {
    eventName: facts.eventName,
    managementEvent: facts.kind !== 'data',
    readOnly: facts.kind !== 'change',
    userIdentity: identityOf(actor),
    source: doorOf(actor),
  };
  if (caller?.sourceIp !== undefined) event.sourceIp = caller.sourceIp;
  if (caller?.userAgent !== undefined) event.userAgent = caller.userAgent;
  if (facts.request !== undefined) event.requestParameters = facts.request;
  if ('response' in facts) event.responseElements = facts.response;
  if (facts.eventData !== undefined && Object.keys(facts.eventData).length > 0) event.additionalEventData = facts.eventData;
  if (facts.serviceDetails !== undefined) event.serviceEventDetails = facts.serviceDetails;
  if (facts.error !== undefined) Object.assign(event, errorMembers(facts.error));
  if (facts.resources !== undefined) event.resources = facts.resources;
  return event;
}
