import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { describeError } from '../lib/format';

type Status = ChannelResponse<'vault:status'>;

const POLL_MS = 5000;

/** The vault as the interface knows it, and the actions that change it. */
class Session {
  status = $state<Status | undefined>(undefined);
  error = $state<{ type: string; message: string } | undefined>(undefined);
  busy = $state(false);
  private poll: ReturnType<typeof setInterval> | undefined;

  /** Runs an action, showing progress and its error (with the AWS name) if it fails. */
  async run<T>(action: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = undefined;
    try {
      return await action();
    } catch (error) {
      this.error = describeError(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async refresh(): Promise<void> {
    await this.run(async () => {
      this.status = await call('vault:status', {});
    });
    this.watch();
  }

  async unlock(pin: string): Promise<boolean> {
    const status = await this.run(() => call('vault:unlock', { pin }));
    if (status) this.status = status;
    this.watch();
    return status !== undefined;
  }

  async lock(): Promise<void> {
    const status = await this.run(() => call('vault:lock', {}));
    if (status) this.status = status;
    this.watch();
  }

  async setAutoLock(seconds: number): Promise<void> {
    const status = await this.run(() => call('vault:setAutoLock', { seconds }));
    if (status) this.status = status;
  }

  /** While unlocked, asks every 5 s: idle auto-lock and token removal reach the screen this way. */
  private watch(): void {
    clearInterval(this.poll);
    if (this.status?.State !== 'Unlocked') return;
    this.poll = setInterval(() => {
      void call('vault:status', {}).then((status) => {
        this.status = status;
        if (status.State !== 'Unlocked') clearInterval(this.poll);
      });
    }, POLL_MS);
  }
}

export const session = new Session();
