import type { Db } from './db';
import type { SealSlot, SealedValue } from './stateSeal';

/** One IAM user as the vault keeps it; its inline policies as JSON text of an object, policy name to document. */
export interface UserRow {
  userName: string;
  userId: string;
  path: string;
  createdAt: number;
  policies: string;
}

/** One access key: its secret wrapped under the vault root key. */
export interface AccessKeyRow {
  accessKeyId: string;
  userName: string;
  status: 'Active' | 'Inactive';
  secret: Buffer;
  createdAt: number;
}

type Sealed<R> = R & { mac: Buffer | null };

const USER_COLUMNS = 'user_name AS userName, user_id AS userId, path, created_at AS createdAt, policies, mac';
const KEY_COLUMNS = 'access_key_id AS accessKeyId, user_name AS userName, status, secret, created_at AS createdAt, mac';

const userValues = (row: UserRow): SealedValue[] => [row.userName, row.userId, row.path, row.createdAt, row.policies];
const keyValues = (row: AccessKeyRow): SealedValue[] => [row.accessKeyId, row.userName, row.status, row.secret, row.createdAt];

/**
 * Prepared statements over iam_users and iam_access_keys. A user's row holds
 * its policies, which decide what it may do, and an access key's its status,
 * which decides whether it works: both are sealed like the key rows
 * (TamperedVaultException on one changed outside Strongroom).
 */
export class IamRepo {
  private readonly userByName;
  private readonly usersAfter;
  private readonly putUser;
  private readonly deleteUserRow;
  private readonly countUsers;
  private readonly keyById;
  private readonly keysOfUser;
  private readonly putKey;
  private readonly deleteKeyRow;

  constructor(
    db: Db,
    private readonly seal: SealSlot,
  ) {
    this.userByName = db.prepare<[string], Sealed<UserRow>>(`SELECT ${USER_COLUMNS} FROM iam_users WHERE user_name = ?`);
    this.usersAfter = db.prepare<[string, string, number], Sealed<UserRow>>(`SELECT ${USER_COLUMNS} FROM iam_users WHERE path LIKE ? ESCAPE '\\' AND user_name > ? ORDER BY user_name LIMIT ?`);
    this.putUser = db.prepare(
      'INSERT INTO iam_users (user_name, user_id, path, created_at, policies, mac) VALUES (@userName, @userId, @path, @createdAt, @policies, @mac) ON CONFLICT (user_name) DO UPDATE SET policies = excluded.policies, mac = excluded.mac',
    );
    this.deleteUserRow = db.prepare<[string]>('DELETE FROM iam_users WHERE user_name = ?');
    this.countUsers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM iam_users');
    this.keyById = db.prepare<[string], Sealed<AccessKeyRow>>(`SELECT ${KEY_COLUMNS} FROM iam_access_keys WHERE access_key_id = ?`);
    this.keysOfUser = db.prepare<[string], Sealed<AccessKeyRow>>(`SELECT ${KEY_COLUMNS} FROM iam_access_keys WHERE user_name = ? ORDER BY created_at, access_key_id`);
    this.putKey = db.prepare(
      'INSERT INTO iam_access_keys (access_key_id, user_name, status, secret, created_at, mac) VALUES (@accessKeyId, @userName, @status, @secret, @createdAt, @mac) ON CONFLICT (access_key_id) DO UPDATE SET status = excluded.status, mac = excluded.mac',
    );
    this.deleteKeyRow = db.prepare<[string]>('DELETE FROM iam_access_keys WHERE access_key_id = ?');
  }

  private checkedUser(stored: Sealed<UserRow> | undefined): UserRow | undefined {
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('iam_users', userValues(row), mac, `the row of user ${row.userName}`);
    return row;
  }

  private checkedKey(stored: Sealed<AccessKeyRow> | undefined): AccessKeyRow | undefined {
    if (stored === undefined) return undefined;
    const { mac, ...row } = stored;
    this.seal.current?.check('iam_access_keys', keyValues(row), mac, `the row of access key ${row.accessKeyId}`);
    return row;
  }

  /** The user named `userName`, in any case. */
  user(userName: string): UserRow | undefined {
    return this.checkedUser(this.userByName.get(userName));
  }

  /** Up to `limit` users whose path starts with `pathPrefix`, by name, after `after`. */
  users(pathPrefix: string, after: string, limit: number): UserRow[] {
    const like = `${pathPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.usersAfter.all(like, after, limit).flatMap((stored) => this.checkedUser(stored) ?? []);
  }

  userCount(): number {
    return this.countUsers.get()?.n ?? 0;
  }

  /** Adds a user, or sets the policies of the one named so; sealed. */
  saveUser(row: UserRow): void {
    this.putUser.run({ ...row, mac: this.seal.required().mac('iam_users', userValues(row)) });
  }

  deleteUser(userName: string): void {
    this.deleteUserRow.run(userName);
  }

  accessKey(accessKeyId: string): AccessKeyRow | undefined {
    return this.checkedKey(this.keyById.get(accessKeyId));
  }

  /** The access keys of `userName`, oldest first. */
  accessKeysOf(userName: string): AccessKeyRow[] {
    return this.keysOfUser.all(userName).flatMap((stored) => this.checkedKey(stored) ?? []);
  }

  /** Adds an access key, or sets the status of the one with its id; sealed. */
  saveAccessKey(row: AccessKeyRow): void {
    this.putKey.run({ ...row, mac: this.seal.required().mac('iam_access_keys', keyValues(row)) });
  }

  deleteAccessKey(accessKeyId: string): void {
    this.deleteKeyRow.run(accessKeyId);
  }
}
