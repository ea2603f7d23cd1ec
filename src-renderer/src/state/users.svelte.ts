import { iam, type IamOutput } from '../lib/api';
import { readPolicy } from '../lib/policyView';
import { Form } from './form.svelte';
import { session } from './session.svelte';
import { tasks } from './tasks.svelte';

type User = IamOutput<'ListUsers'>['Users'][number];
type AccessKey = IamOutput<'ListAccessKeys'>['AccessKeyMetadata'][number];

const NAME_RULE = 'Letters, digits and + = , . @ _ - only, up to 64.';

/** A policy that lets a user do nothing yet, to start an inline policy from. */
const STARTER_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }] }, null, 2);

/**
 * The IAM users of the vault's account: listed and made; one of them open,
 * with its access keys (a new one's secret shown once, until the person
 * says it is kept) and its inline policies in an editor.
 */
export class Users {
  list = $state<User[]>([]);
  open = $state<User | undefined>(undefined);
  keys = $state<AccessKey[]>([]);
  /** The secret of the access key just made: shown until dismissed, then gone from the page. */
  newSecret = $state<{ accessKeyId: string; secret: string } | undefined>(undefined);
  policyNames = $state<string[]>([]);
  policyName = $state('');
  draft = $state('');
  readonly reading = $derived(readPolicy(this.draft));
  readonly form = new Form('new-user', () => ({ userName: '', path: '/' }), {
    userName: { members: ['UserName'], invalid: NAME_RULE, errors: { EntityAlreadyExistsException: true } },
    path: { members: ['Path'], invalid: 'A path is "/" or starts and ends with "/".' },
  });
  readonly signIn = new Form('act-as', () => ({ accessKeyId: '', secretAccessKey: '' }), {
    accessKeyId: { members: ['accessKeyId'], errors: { UnrecognizedClientException: true } },
    secretAccessKey: { members: ['secretAccessKey'], errors: { InvalidSignatureException: true } },
  });

  async load(): Promise<void> {
    const result = await tasks.run('ListUsers', () => iam('ListUsers', { MaxItems: 1000 }));
    if (result.ok) this.list = result.value.Users;
  }

  async create(): Promise<void> {
    const { userName, path } = this.form.values;
    const result = await tasks.run('CreateUser', () => iam('CreateUser', { UserName: userName, ...(path === '/' ? {} : { Path: path }) }), this.form);
    if (!result.ok) return;
    this.form.reset();
    await this.load();
    await this.show(result.value.User);
  }

  /** Opens `user`: its access keys and the names of its policies. */
  async show(user: User): Promise<void> {
    this.open = user;
    this.newSecret = undefined;
    this.policyName = '';
    this.draft = '';
    await Promise.all([this.loadKeys(), this.loadPolicies()]);
  }

  async remove(): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('DeleteUser', () => iam('DeleteUser', { UserName: user.UserName }));
    if (!result.ok) return;
    this.open = undefined;
    await this.load();
  }

  private async loadKeys(): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('ListAccessKeys', () => iam('ListAccessKeys', { UserName: user.UserName }));
    if (result.ok) this.keys = result.value.AccessKeyMetadata;
  }

  async createKey(): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('CreateAccessKey', () => iam('CreateAccessKey', { UserName: user.UserName }));
    if (!result.ok) return;
    this.newSecret = { accessKeyId: result.value.AccessKey.AccessKeyId, secret: result.value.AccessKey.SecretAccessKey };
    await this.loadKeys();
  }

  async setKeyStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('UpdateAccessKey', () => iam('UpdateAccessKey', { UserName: user.UserName, AccessKeyId: accessKeyId, Status: status }));
    if (result.ok) await this.loadKeys();
  }

  async deleteKey(accessKeyId: string): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('DeleteAccessKey', () => iam('DeleteAccessKey', { UserName: user.UserName, AccessKeyId: accessKeyId }));
    if (result.ok) await this.loadKeys();
  }

  private async loadPolicies(): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('ListUserPolicies', () => iam('ListUserPolicies', { UserName: user.UserName }));
    if (result.ok) this.policyNames = result.value.PolicyNames;
  }

  /** Opens one of the user's policies in the editor, or a new one to start from. */
  async editPolicy(name: string | undefined): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    if (name === undefined) {
      this.policyName = '';
      this.draft = STARTER_POLICY;
      return;
    }
    const result = await tasks.run('GetUserPolicy', () => iam('GetUserPolicy', { UserName: user.UserName, PolicyName: name }));
    if (!result.ok) return;
    this.policyName = name;
    this.draft = result.value.PolicyDocument;
  }

  async savePolicy(): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('PutUserPolicy', () => iam('PutUserPolicy', { UserName: user.UserName, PolicyName: this.policyName, PolicyDocument: this.draft }));
    if (result.ok) await this.loadPolicies();
  }

  async deletePolicy(name: string): Promise<void> {
    const user = this.open;
    if (user === undefined) return;
    const result = await tasks.run('DeleteUserPolicy', () => iam('DeleteUserPolicy', { UserName: user.UserName, PolicyName: name }));
    if (!result.ok) return;
    if (this.policyName === name) this.draft = '';
    await this.loadPolicies();
  }

  /** Acts as the user of an access key from now until the vault locks. */
  async actAs(): Promise<void> {
    const result = await session.actAs(this.signIn.values.accessKeyId.trim(), this.signIn.values.secretAccessKey.trim(), this.signIn);
    if (result.ok) this.signIn.reset();
  }
}
