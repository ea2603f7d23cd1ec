import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccessKeyCredentials, Principal } from '../../../src-shared/caller';
import { KmsError } from '../../../src-shared/errors';
import { IAM_LIMITS } from '../../../src-shared/iam/limits';
import { unwrapAccessKeySecret, wrapAccessKeySecret } from '../../crypto/backingKeys';
import type { NamedPolicy } from '../../policy/evaluate';
import { parsePolicy } from '../../policy/parse';
import type { Db } from '../../vault/db';
import { IamRepo, type AccessKeyRow, type UserRow } from '../../vault/iamRepo';
import type { SealSlot } from '../../vault/stateSeal';

/** The characters of IAM's unique ids (AKIA…, AIDA…): upper-case letters and the digits 2–7. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` and `length` random characters of IAM's id alphabet. */
function iamId(prefix: string, length: number): string {
  return prefix + [...randomBytes(length)].map((byte) => ID_ALPHABET[byte % 32]).join('');
}

/** A user's inline policies, name to document text. */
export type InlinePolicies = Record<string, string>;

/** The user name at the end of a user's ARN (`arn:aws:iam::<account>:user/<path>/<name>`). */
export function userNameOfArn(arn: string): string | undefined {
  const match = /^arn:aws:iam::\d{12}:user\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return match?.[1];
}

/**
 * The IAM users of one vault's account: their rows, the ARN of each, their
 * inline identity policies (parsed once, then cached until they change or
 * the vault locks), and their access keys, whose secrets are wrapped under
 * the vault root key and shown only when made.
 */
export class Users {
  readonly repo: IamRepo;
  private readonly parsed = new Map<string, readonly NamedPolicy[]>();

  constructor(
    db: Db,
    seal: SealSlot,
    readonly accountId: string,
  ) {
    this.repo = new IamRepo(db, seal);
  }

  /** The ARN of `user`, with its path. */
  arnOf(user: Pick<UserRow, 'path' | 'userName'>): string {
    return `arn:aws:iam::${this.accountId}:user${user.path}${user.userName}`;
  }

  /** The user named `userName` (in any case); NoSuchEntityException when there is none. */
  require(userName: string): UserRow {
    const user = this.repo.user(userName);
    if (user === undefined) throw new KmsError('NoSuchEntityException', `The user with name ${userName} cannot be found.`);
    return user;
  }

  /** The principal that `user` is. */
  principalOf(user: UserRow): Principal {
    return { type: 'User', accountId: this.accountId, arn: this.arnOf(user), id: user.userId };
  }

  /** A new user (EntityAlreadyExistsException for a name taken in any case; LimitExceededException past the account's quota). */
  create(userName: string, path: string): UserRow {
    const taken = this.repo.user(userName);
    if (taken !== undefined) throw new KmsError('EntityAlreadyExistsException', `User with name ${taken.userName} already exists.`);
    if (this.repo.userCount() >= IAM_LIMITS.usersPerAccount) throw new KmsError('LimitExceededException', `Cannot exceed quota for UsersPerAccount: ${String(IAM_LIMITS.usersPerAccount)}.`);
    const row: UserRow = { userName, userId: iamId('AIDA', 17), path, createdAt: Date.now(), policies: '{}' };
    this.repo.saveUser(row);
    return row;
  }

  /** Deletes a user that has no access keys and no inline policies left (DeleteConflictException otherwise, as IAM refuses). */
  delete(userName: string): void {
    const user = this.require(userName);
    if (this.repo.accessKeysOf(user.userName).length > 0) throw new KmsError('DeleteConflictException', `Cannot delete entity, must delete access keys first: user ${user.userName} has access keys.`);
    if (Object.keys(this.policiesOf(user)).length > 0) throw new KmsError('DeleteConflictException', `Cannot delete entity, must delete policies first: user ${user.userName} has inline policies.`);
    this.repo.deleteUser(user.userName);
    this.parsed.delete(user.userName.toLowerCase());
  }

  /** The inline policies of `user`, name to document. */
  policiesOf(user: UserRow): InlinePolicies {
    return JSON.parse(user.policies) as InlinePolicies;
  }

  /**
   * Sets (or, with undefined, removes) one inline policy of a user. A
   * document must parse as an identity policy (MalformedPolicyDocumentException
   * naming the problem), and the user's policies together stay within
   * IAM's 2,048 characters, whitespace aside (LimitExceededException).
   */
  setPolicy(userName: string, policyName: string, document: string | undefined): void {
    const user = this.require(userName);
    let policies = this.policiesOf(user);
    if (document === undefined) {
      if (policies[policyName] === undefined) throw new KmsError('NoSuchEntityException', `The user policy with name ${policyName} cannot be found.`);
      policies = Object.fromEntries(Object.entries(policies).filter(([name]) => name !== policyName));
    } else {
      parsePolicy(document, 'identity');
      policies = { ...policies, [policyName]: document };
      const size = Object.values(policies).reduce((sum, text) => sum + text.replace(/\s/g, '').length, 0);
      if (size > IAM_LIMITS.userPolicyCharacters) throw new KmsError('LimitExceededException', `Maximum policy size of ${String(IAM_LIMITS.userPolicyCharacters)} characters exceeded for user ${user.userName}: its inline policies would have ${String(size)}, whitespace aside.`);
    }
    this.repo.saveUser({ ...user, policies: JSON.stringify(policies) });
    this.parsed.delete(user.userName.toLowerCase());
  }

  /** The identity policies of `principal`: a user's inline policies, parsed; none for the account root or a principal this vault has no user for. */
  identityPolicies(principal: Principal): readonly NamedPolicy[] {
    if (principal.type !== 'User') return [];
    const userName = userNameOfArn(principal.arn);
    if (userName === undefined) return [];
    const cacheKey = userName.toLowerCase();
    let cached = this.parsed.get(cacheKey);
    if (cached === undefined) {
      const user = this.repo.user(userName);
      cached = user === undefined || this.arnOf(user) !== principal.arn ? [] : Object.entries(this.policiesOf(user)).map(([name, text]) => ({ name, document: parsePolicy(text, 'identity') }));
      this.parsed.set(cacheKey, cached);
    }
    return cached;
  }

  /** A new access key for `userName`, Active, with its secret in plaintext this once (LimitExceededException past IAM's two per user). */
  createAccessKey(rootKey: Buffer, userName: string): { readonly row: AccessKeyRow; readonly secretAccessKey: string } {
    const user = this.require(userName);
    if (this.repo.accessKeysOf(user.userName).length >= IAM_LIMITS.accessKeysPerUser) throw new KmsError('LimitExceededException', `Cannot exceed quota for AccessKeysPerUser: ${String(IAM_LIMITS.accessKeysPerUser)}. Delete one of ${user.userName}'s access keys first.`);
    const secret = randomBytes(30);
    const secretAccessKey = secret.toString('base64');
    secret.fill(0);
    const accessKeyId = iamId('AKIA', 16);
    const row: AccessKeyRow = { accessKeyId, userName: user.userName, status: 'Active', secret: wrapAccessKeySecret(rootKey, accessKeyId, Buffer.from(secretAccessKey, 'latin1')), createdAt: Date.now() };
    this.repo.saveAccessKey(row);
    return { row, secretAccessKey };
  }

  /** The access key `accessKeyId` of `userName` (NoSuchEntityException when that user has no such key). */
  requireAccessKey(userName: string, accessKeyId: string): AccessKeyRow {
    const user = this.require(userName);
    const row = this.repo.accessKey(accessKeyId);
    if (row?.userName !== user.userName) throw new KmsError('NoSuchEntityException', `The Access Key with id ${accessKeyId} cannot be found for user ${user.userName}.`);
    return row;
  }

  /**
   * The principal whose access key `credentials` names, when its secret is
   * right and the key is Active. UnrecognizedClientException for a key this
   * vault does not have or one that is inactive; InvalidSignatureException
   * for a wrong secret (AWS's names for the same refusals).
   */
  authenticate(rootKey: Buffer, credentials: AccessKeyCredentials): Principal {
    const { accessKeyId } = credentials;
    const row = this.repo.accessKey(accessKeyId);
    if (row === undefined) throw new KmsError('UnrecognizedClientException', `The security token included in the request is invalid: ${accessKeyId} is not an access key of this vault.`);
    const secret = unwrapAccessKeySecret(rootKey, accessKeyId, row.secret);
    const given = Buffer.from(credentials.secretAccessKey, 'latin1');
    const same = secret !== undefined && secret.length === given.length && timingSafeEqual(secret, given);
    secret?.fill(0);
    given.fill(0);
    if (!same) throw new KmsError('InvalidSignatureException', `The secret access key given with ${accessKeyId} is not its secret.`);
    if (row.status !== 'Active') throw new KmsError('UnrecognizedClientException', `The security token included in the request is invalid: access key ${accessKeyId} is Inactive. Make it Active with "strongroom iam update-access-key", or use another.`);
    return this.principalOf(this.require(row.userName));
  }

  /** Throws as {@link Users.authenticate} does unless the access key a caller authenticated with is still Active and still its user's (checked on every call: a key made inactive stops at once). */
  requireActive(principal: Principal, accessKeyId: string): void {
    const row = this.repo.accessKey(accessKeyId);
    const user = row === undefined ? undefined : this.repo.user(row.userName);
    if (row?.status !== 'Active' || user === undefined || this.arnOf(user) !== principal.arn) {
      throw new KmsError('UnrecognizedClientException', `The security token included in the request is invalid: access key ${accessKeyId} has been deleted or made Inactive.`);
    }
  }

  /** Forgets every parsed policy (when the vault locks). */
  clearCache(): void {
    this.parsed.clear();
  }
}
