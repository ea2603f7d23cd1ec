import { call, kms, type KmsOutput } from '../lib/api';
import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { keyValueLines } from '../lib/format';
import { policyDiff, readPolicy } from '../lib/policyView';
import { Form } from './form.svelte';
import type { KeyDetail } from './keyDetail.svelte';
import { tasks } from './tasks.svelte';

/**
 * A key's policy in an editor: the policy in force, the draft, the draft in
 * words and its difference from the policy in force; saved with
 * PutKeyPolicy, which decides at once. A policy is no secret.
 */
export class KeyPolicyEditor {
  current = $state<string | undefined>(undefined);
  draft = $state('');
  bypassLockoutCheck = $state(false);
  readonly reading = $derived(readPolicy(this.draft));
  readonly changes = $derived(this.current === undefined ? [] : policyDiff(this.current, this.draft));
  readonly changed = $derived(this.current !== undefined && this.current !== this.draft);

  constructor(readonly key: KeyDetail) {}

  async load(): Promise<void> {
    const result = await tasks.run('GetKeyPolicy', () => kms('GetKeyPolicy', { KeyId: this.key.keyId }));
    if (!result.ok) return;
    this.current = result.value.Policy ?? '';
    this.draft = this.current;
  }

  /** Saves the draft as the key's policy; true when the key took it. */
  async save(): Promise<boolean> {
    const Policy = this.draft;
    const result = await tasks.run('PutKeyPolicy', () => kms('PutKeyPolicy', { KeyId: this.key.keyId, Policy, ...(this.bypassLockoutCheck ? { BypassPolicyLockoutSafetyCheck: true } : {}) }));
    if (result.ok) {
      this.current = Policy;
      this.bypassLockoutCheck = false;
    }
    return result.ok;
  }

  revert(): void {
    this.draft = this.current ?? '';
  }
}

type Grant = NonNullable<KmsOutput<'ListGrants'>['Grants']>[number];
type GrantOperation = NonNullable<Grant['Operations']>[number];

/** The new-grant form's values. */
export interface NewGrant {
  grantee: string;
  retiring: string;
  operations: GrantOperation[];
  constraint: 'none' | 'equals' | 'subset';
  /** The constraint's encryption context, key=value lines. */
  context: string;
  name: string;
}

/** A key's grants: listed, made, retired and revoked. A grant acts at once. */
export class KeyGrants {
  list = $state<Grant[]>([]);
  readonly form: Form<NewGrant>;

  constructor(readonly keyId: string) {
    this.form = new Form<NewGrant>(`grants-${keyId}`, () => ({ grantee: 'arn:aws:iam::', retiring: '', operations: [], constraint: 'none', context: '', name: '' }), {
      grantee: { members: ['GranteePrincipal'], invalid: 'The grantee is the ARN of an account root, user or role: arn:aws:iam::<account>:user/<name>.', errors: { ValidationException: true } },
      retiring: { members: ['RetiringPrincipal'], invalid: 'The retiring principal is the ARN of an account root, user or role.' },
      name: { members: ['Name'], invalid: 'A name has letters, digits and : / _ - only, up to 256.' },
    });
  }

  async load(): Promise<void> {
    const result = await tasks.run('ListGrants', () => kms('ListGrants', { KeyId: this.keyId, Limit: 100 }));
    if (result.ok) this.list = result.value.Grants ?? [];
  }

  /** Makes a grant of the form's values; true when it was made. */
  async create(): Promise<boolean> {
    const { grantee, retiring, operations, constraint, context, name } = this.form.values;
    const pairs = Object.fromEntries(keyValueLines(context));
    const constraints = constraint === 'none' ? {} : { Constraints: constraint === 'equals' ? { EncryptionContextEquals: pairs } : { EncryptionContextSubset: pairs } };
    const request = { KeyId: this.keyId, GranteePrincipal: grantee, Operations: operations, ...(retiring === '' ? {} : { RetiringPrincipal: retiring }), ...(name === '' ? {} : { Name: name }), ...constraints };
    const result = await tasks.run('CreateGrant', () => kms('CreateGrant', request), this.form);
    if (result.ok) {
      this.form.reset();
      await this.load();
    }
    return result.ok;
  }

  async retire(grantId: string): Promise<void> {
    const result = await tasks.run('RetireGrant', () => kms('RetireGrant', { KeyId: this.keyId, GrantId: grantId }));
    if (result.ok) await this.load();
  }

  async revoke(grantId: string): Promise<void> {
    const result = await tasks.run('RevokeGrant', () => kms('RevokeGrant', { KeyId: this.keyId, GrantId: grantId }));
    if (result.ok) await this.load();
  }
}

/** The policy simulator on one key: a principal, an action and an encryption context, and what the vault would decide and why. Nothing is called. */
export class PolicySimulator {
  principal = $state('');
  action = $state('kms:Decrypt');
  /** key=value lines. */
  context = $state('');
  answer = $state<ChannelResponse<'policy:simulate'> | undefined>(undefined);

  constructor(readonly keyId: string) {}

  async simulate(): Promise<void> {
    const pairs = keyValueLines(this.context);
    const request = { principal: this.principal, action: this.action, keyId: this.keyId, ...(pairs.length === 0 ? {} : { encryptionContext: Object.fromEntries(pairs) }) };
    this.answer = undefined;
    const result = await tasks.run('policy:simulate', () => call('policy:simulate', request));
    if (result.ok) this.answer = result.value;
  }
}
