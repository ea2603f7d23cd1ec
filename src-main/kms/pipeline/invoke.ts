import type { z } from 'zod';
import type { Caller } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { CORE_OPERATIONS, type CoreOperationName } from '../../../src-shared/kms/extensions';
import { checkRequestJson } from '../../../src-shared/kms/requestJson';
import { validate } from '../../../src-shared/kms/validate';
import { auditEvent, type Actor } from '../../audit/events';
import type { AuditEvent } from '../../audit/record';
import type { Vault } from '../lifecycle/vault';
import { declarationOf } from '../operations';
import type { AnyDeclaration, KmsContext } from './declaration';
import { dryRunDone, ignoresCiphertext } from '../engine/dryRun';
import { authorizeCall, checkKeys, checkRequest, resolveKeys } from './steps';

type Request = Record<string, unknown>;

/** What the audit log keeps of a request: the validated request with its recorded defaults and its secrets hidden, or only its field names when it did not validate (it may hold a misspelled secret). */
function recordedRequest(declaration: AnyDeclaration | undefined, input: unknown, request: Request | undefined): unknown {
  if (request !== undefined) {
    const recorded: Request = Object.assign({}, declaration?.recordedDefaults, request); // far quicker than spreading both into a literal
    for (const member of declaration?.hiddenMembers ?? []) if (member in recorded) recorded[member] = 'HIDDEN_DUE_TO_SECURITY_REASONS';
    return recorded;
  }
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? { invalidRequestFields: Object.keys(input).slice(0, 20) } : { invalidRequest: typeof input };
}

/**
 * What the audit log keeps of a response, as CloudTrail does: nothing for a
 * call that changes nothing (cryptographic calls included, whose responses
 * hold secrets); for an empty response, nothing or the ARN of the key it
 * changed (the last key the call resolved).
 */
function recordedResponse(declaration: AnyDeclaration, response: unknown, resources: readonly string[]): unknown {
  if (declaration.kind !== 'change') return undefined;
  if (declaration.recordedResponse !== undefined) return declaration.recordedResponse(response as never);
  if (response !== null && typeof response === 'object' && Object.keys(response).length > 0) return response;
  const keyArn = resources.at(-1);
  return declaration.keyInResponse === true && keyArn !== undefined ? { KeyId: keyArn } : undefined;
}

/** Runs a validated request once the vault is unlocked: resolve its keys, authorize the caller, check the keys, stop a DryRun, then the handler. */
function run(ctx: KmsContext, declaration: AnyDeclaration, request: Request): unknown {
  const rows = resolveKeys(ctx, declaration, request);
  authorizeCall(ctx, declaration, request, rows);
  const keys = checkKeys(ctx, declaration, request, rows);
  if (ctx.dryRun && (declaration.dryRunDecrypts !== true || ignoresCiphertext(request))) throw dryRunDone();
  const response = declaration.handler(ctx, request as never, keys as never);
  if (ctx.dryRun) throw dryRunDone(); // never reached: an operation that decrypts stops once it has (engine/symmetric)
  return response;
}

/**
 * Runs one KMS operation for `caller`, from its AWS JSON request, the only
 * way any door runs one. In this order: validate the request against the
 * API model and the operation's own checks (ValidationException naming each
 * bad field); refuse when the vault is locked (before anything could reveal
 * whether a key exists); resolve the keys the request names; authorize the
 * caller for the operation's action on each (or on the account); check the
 * keys' states and usages; run the handler; and record the call (allowed or
 * refused, succeeded or failed) in the audit log, without any plaintext or
 * key material. A call that changes the vault commits its change and its
 * record in one transaction; when the log cannot be written, no call runs.
 */
export function invoke(vault: Vault, caller: Caller, name: CoreOperationName, input: unknown): unknown {
  vault.audit.assertWritable();
  const declaration = declarationOf(name);
  let request: Request | undefined;
  let ctx: KmsContext | undefined;
  const actor: Actor = vault.isUnlocked ? { caller } : { unknown: caller.door }; // a locked vault knows no one
  const event = (outcome: { response: unknown } | { error: unknown }): AuditEvent =>
    auditEvent({
      eventName: name,
      actor,
      kind: declaration?.kind ?? 'read',
      request: recordedRequest(declaration, input, request),
      ...('response' in outcome && declaration !== undefined ? { response: recordedResponse(declaration, outcome.response, ctx?.resources ?? []) } : {}),
      ...('error' in outcome ? { error: outcome.error } : {}),
      resources: ctx?.resources ?? [],
      ...(ctx === undefined ? {} : { eventData: ctx.eventData }),
    });
  try {
    if (declaration === undefined) throw new KmsError('UnsupportedOperationException', `${name} is not available in this version of Strongroom.`);
    checkRequestJson(input);
    const schema: z.ZodType<Request> = CORE_OPERATIONS[name].input as z.ZodType<Request>;
    const valid = validate(schema, input);
    request = valid;
    checkRequest(declaration, valid);
    const call = (): unknown =>
      vault.use((unlocked) => {
        ctx = { vault, unlocked, caller, dryRun: valid.DryRun === true, resources: [], eventData: {} };
        return run(ctx, declaration, valid);
      });
    if (declaration.kind === 'change') return vault.audit.recordWithChange(call, (response) => event({ response }));
    const response = call();
    vault.audit.record(event({ response }));
    return response;
  } catch (error) {
    vault.audit.record(event({ error })); // when the log itself has failed, this throws that instead
    throw error;
  }
}
