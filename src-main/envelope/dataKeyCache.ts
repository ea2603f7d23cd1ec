import { KmsError } from '../../src-shared/errors';
import type { EncryptPlan } from './encryptMessage';
import { planEncryption, type FileEncryption } from './plan';
import type { KmsCall } from './recipients';

/** How long, and for how much, one data key may serve: the limits of the Encryption SDK's caching materials manager. */
export interface CacheLimits {
  /** Seconds after it was made. */
  readonly maxAge: number;
  /** Messages it encrypts (the SDK's default: 2^32). */
  readonly maxMessages?: number;
  /** Plaintext bytes it encrypts, all messages together (the SDK's default: 2^63 - 1). */
  readonly maxBytes?: number;
}

interface Entry {
  readonly plan: EncryptPlan;
  readonly madeAt: number;
  messages: number;
  bytes: number;
  /** Messages being written with it: its data key is zero-filled only once dropped and none is. */
  writing: number;
  dropped: boolean;
}

/**
 * Data keys reused across messages with the same recipients, context,
 * signer and frame length, within limits, as the Encryption SDK's caching
 * materials manager does: a batch of small files costs one Encrypt (or
 * public-key operation) per recipient rather than one a file. Each message
 * still has its own message id, so its own derived key. A message of
 * unknown size is not cached (its bytes cannot be counted in advance). An
 * entry past a limit is dropped, and its data key zero-filled once no
 * message is being written with it; `close` drops all. Without limits nothing is cached: each message has a data key of
 * its own.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  constructor(
    private readonly kms: KmsCall,
    private readonly limits: CacheLimits | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.maxMessages = limits?.maxMessages ?? 2 ** 32;
    this.maxBytes = limits === undefined ? -1 : (limits.maxBytes ?? Number.MAX_SAFE_INTEGER);
    if (limits !== undefined && (!(limits.maxAge > 0) || !(this.maxMessages >= 1) || !(this.maxBytes >= 0))) throw new KmsError('ValidationException', 'A data key cache needs a maximum age above 0 seconds, at least 1 message and 0 or more bytes.');
  }

  /**
   * The plan of a message of `size` bytes: a cached data key when one is
   * within its limits, else a new one (cached when the size is known), and
   * what to call once the message is written (it zero-fills a data key the
   * cache did not keep).
   */
  async plan(request: FileEncryption, size: number | undefined): Promise<{ plan: EncryptPlan; done: () => void }> {
    const id = JSON.stringify([request.recipients.map((r) => (r.kind === 'kms' ? r.keyId : r.spki.toString('base64'))), Object.entries(request.context ?? {}).sort(), request.signKeyId, request.frameLength]);
    const cached = this.entries.get(id);
    if (cached !== undefined && size !== undefined && this.fits(cached, size)) {
      cached.messages += 1;
      cached.bytes += size;
      return this.use(cached);
    }
    if (cached !== undefined) this.drop(id, cached);
    const plan = await planEncryption(this.kms, request);
    if (size === undefined || size > this.maxBytes) return { plan, done: () => plan.dataKey.fill(0) };
    const entry: Entry = { plan, madeAt: this.now(), messages: 1, bytes: size, writing: 0, dropped: false };
    this.entries.set(id, entry);
    return this.use(entry);
  }

  private use(entry: Entry): { plan: EncryptPlan; done: () => void } {
    entry.writing += 1;
    let once = false;
    const done = (): void => {
      if (once) return;
      once = true;
      entry.writing -= 1;
      if (entry.dropped && entry.writing === 0) entry.plan.dataKey.fill(0);
    };
    return { plan: entry.plan, done };
  }

  private fits(entry: Entry, size: number): boolean {
    return this.now() - entry.madeAt < (this.limits?.maxAge ?? 0) * 1000 && entry.messages < this.maxMessages && entry.bytes + size <= this.maxBytes;
  }

  private drop(id: string, entry: Entry): void {
    this.entries.delete(id);
    entry.dropped = true;
    if (entry.writing === 0) entry.plan.dataKey.fill(0);
  }

  /** Drops every cached data key (zero-filled once the messages being written with it are done). */
  close(): void {
    for (const [id, entry] of this.entries) this.drop(id, entry);
  }
}
