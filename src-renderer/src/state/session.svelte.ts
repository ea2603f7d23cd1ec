import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { describeError, type ShownError } from '../lib/format';

export type Status = ChannelResponse<'vault:status'>;

const POLL_MS = 5000;
/** Errors after which the vault may have locked under us (the browser host refuses a page whose vault has locked since it unlocked): ask for the status at once. */
const LOCKING = new Set(['VaultLockedException', 'TokenRemovedException', 'VaultNotInitializedException', 'AccessDeniedException']);

/** The vault as the interface knows it, the task in progress, the last error, and the actions that change the vault. */
class Session {
  status = $state<Status | undefined>(undefined);
  error = $state<ShownError | undefined>(undefined);
  /** The task running now ('unlock', 'create-key' …), for progress text; undefined when idle. */
  busy = $state<string | undefined>(undefined);
  private poll: ReturnType<typeof setInterval> | undefined;

  /** Runs a task, showing progress and its error (with the AWS name) if it fails. */
  async run<T>(task: string, action: () => Promise<T>): Promise<T | undefined> {
    this.busy = task;
    this.error = undefined;
    try {
      return await action();
    } catch (error) {
      this.error = describeError(error);
      if (LOCKING.has(this.error.type)) void this.check();
      return undefined;
    } finally {
      if (this.busy === task) this.busy = undefined;
    }
  }

  /** A button's text: `running` while its task runs, else `idle`. */
  label(task: string, idle: string, running: string): string {
    return this.busy === task ? running : idle;
  }

  async start(): Promise<void> {
    await this.changeVault('start', () => call('vault:status', {}));
  }

  /** Takes a status from the core; while it says Unlocked, polls every 5 s. */
  accept(status: Status): void {
    this.status = status;
    if (status.State !== 'Unlocked') {
      clearInterval(this.poll);
      this.poll = undefined;
    } else {
      this.poll ??= setInterval(() => void this.check(), POLL_MS);
    }
  }

  /** Unlocks; after a refusal, takes the status again, which says how many tries are left. */
  async unlock(pin: string): Promise<void> {
    await this.changeVault('unlock', () => call('vault:unlock', { pin }));
    if (this.status?.State === 'Locked') {
      const error = this.error;
      await this.check();
      this.error = error;
    }
  }

  async lock(): Promise<void> {
    await this.changeVault('lock', () => call('vault:lock', {}));
  }

  async setAutoLock(seconds: number): Promise<void> {
    await this.changeVault('auto-lock', () => call('vault:setAutoLock', { seconds }));
  }

  /** Runs a task that answers with the vault's status, and takes that status when it succeeds. */
  private async changeVault(task: string, action: () => Promise<Status>): Promise<void> {
    const status = await this.run(task, action);
    if (status) this.accept(status);
  }

  /** Asks for the status quietly: idle auto-lock and token removal reach the screen this way. */
  private async check(): Promise<void> {
    try {
      this.accept(await call('vault:status', {}));
    } catch (error) {
      this.error = describeError(error);
    }
  }
}

export const session = new Session();
