import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { describeError } from '../lib/errors';
import type { Form } from './form.svelte';
import { notices } from './notices.svelte';
import { tasks, type Result } from './tasks.svelte';

export type Status = ChannelResponse<'vault:status'>;

const POLL_MS = 5000;
/** Errors after which the vault may have locked under us (the browser host refuses a page whose vault has locked since it unlocked): ask for the status at once. */
const LOCKING = new Set(['VaultLockedException', 'TokenRemovedException', 'VaultNotInitializedException', 'AccessDeniedException']);
/** Errors that mean the core is out of reach. */
const UNREACHABLE = new Set(['ConnectionLostException', 'SessionEndedException']);

/** The vault as the interface knows it, whether the core answers, and the actions that change the vault. */
class Session {
  status = $state<Status | undefined>(undefined);
  /** False once a call found the core out of reach, until it answers again. */
  connected = $state(true);
  /** True while the first run shows the new vault's security-officer PIN: the vault is unlocked, but the setup screen stays until the person is done. */
  settingUp = $state(false);
  private poll: ReturnType<typeof setInterval> | undefined;
  private readonly lockListeners: (() => void)[] = [];

  constructor() {
    tasks.onFailure((error) => {
      if (UNREACHABLE.has(error.type)) this.connected = false;
      else if (LOCKING.has(error.type)) void this.check();
    });
  }

  /** True while the interface may act on an unlocked vault (it is unlocked, as far as a reachable core last said). */
  get unlocked(): boolean {
    return this.connected && this.status?.State === 'Unlocked';
  }

  async start(): Promise<void> {
    await this.changeVault('start', () => call('vault:status', {}));
    this.poll ??= setInterval(() => void this.check(), POLL_MS);
  }

  /** Takes a status from the core. */
  accept(status: Status): void {
    const wasUnlocked = this.status?.State === 'Unlocked';
    this.status = status;
    this.connected = true;
    if (wasUnlocked && status.State !== 'Unlocked') for (const listener of this.lockListeners) listener();
  }

  /** Calls `listener` each time the interface learns that the unlocked vault has locked (on request, idle, token removed…). */
  onLocked(listener: () => void): void {
    this.lockListeners.push(listener);
  }

  /** Unlocks; after a refusal, takes the status again, which says how many tries are left. */
  async unlock(pin: string, form: Form<object>): Promise<Result<Status>> {
    const result = await this.changeVault('unlock', () => call('vault:unlock', { pin }), form);
    if (!result.ok) await this.check();
    return result;
  }

  /** Acts as the IAM user of an access key until the vault locks (recorded as ConsoleLogin). */
  async actAs(accessKeyId: string, secretAccessKey: string, form: Form<object>): Promise<Result<Status>> {
    return this.changeVault('act-as', () => call('session:actAs', { accessKeyId, secretAccessKey }), form);
  }

  async lock(): Promise<Result<Status>> {
    return this.changeVault('lock', () => call('vault:lock', {}));
  }

  async setAutoLock(seconds: number, form?: Form<object>): Promise<Result<Status>> {
    return this.changeVault('auto-lock', () => call('vault:setAutoLock', { seconds }), form);
  }

  /** Changes the token's PIN; after a wrong current PIN, takes the status again, which says how many tries are left. */
  async changePin(currentPin: string, newPin: string, form: Form<object>): Promise<Result<Status>> {
    const result = await this.changeVault('change-pin', () => call('vault:changePin', { currentPin, newPin }), form);
    if (!result.ok) await this.check();
    return result;
  }

  async setUnlockAttempts(attempts: number, form: Form<object>): Promise<Result<Status>> {
    return this.changeVault('unlock-attempts', () => call('vault:setUnlockAttempts', { attempts }), form);
  }

  /** Tells the core that the person is at work (restarting its idle clock), quietly: no busy state, no notice. */
  async reportActivity(): Promise<void> {
    try {
      this.accept(await call('vault:activity', {}));
    } catch {
      await this.check();
    }
  }

  /** Runs a task that answers with the vault's status, and takes that status when it succeeds. */
  private async changeVault(task: string, action: () => Promise<Status>, form?: Form<object>): Promise<Result<Status>> {
    const result = await tasks.run(task, action, form);
    if (result.ok) this.accept(result.value);
    return result;
  }

  /** Asks for the status quietly: idle auto-lock, token removal and a stopped host reach the screen this way. */
  async check(): Promise<void> {
    try {
      this.accept(await call('vault:status', {}));
      notices.clear('connection');
    } catch (error) {
      const shown = describeError(error);
      if (UNREACHABLE.has(shown.type)) {
        if (this.connected) notices.error(shown, 'connection');
        this.connected = false;
      }
    }
  }
}

export const session = new Session();
