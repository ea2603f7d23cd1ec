// What several ceremonies ask for: share files of a recovery split, and the token of a PKCS#11 module the root key goes to.
import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { tasks } from './tasks.svelte';

type Share = { id: number; path: string; passphrase: string };

/** Share files of a recovery split, each with its custodian's passphrase (typed by them); at least two. */
export class ShareList {
  items = $state<Share[]>([]);
  private next = 0;

  constructor() {
    for (let i = 0; i < 2; i += 1) this.add();
  }

  add(): void {
    this.items.push({ id: (this.next += 1), path: '', passphrase: '' });
  }

  remove(id: number): void {
    this.items = this.items.filter((share) => share.id !== id);
  }

  /** What is missing, in words; undefined when every share has its file and passphrase. */
  readonly problem = $derived(this.items.some((share) => share.path.trim() === '' || share.passphrase === '') ? 'Give each share file and its custodian’s passphrase.' : undefined);

  /** The shares as a channel takes them. */
  request(): { path: string; passphrase: string }[] {
    return this.items.map((share) => ({ path: share.path.trim(), passphrase: share.passphrase }));
  }

  /** Clears the passphrases typed. */
  forget(): void {
    for (const share of this.items) share.passphrase = '';
  }
}

/** The token of a PKCS#11 module a ceremony seals the root key onto, and how it wraps it there. */
export class TokenTarget {
  pkcs11 = $state('');
  tokenLabel = $state('');
  rootOfTrust = $state<'aes' | 'rsa'>('aes');
  tokens = $state<ChannelResponse<'tokens:list'>['Tokens'] | undefined>(undefined);

  async listTokens(task: string): Promise<void> {
    const result = await tasks.run(task, () => call('tokens:list', { pkcs11: this.pkcs11.trim() }));
    this.tokens = result.ok ? result.value.Tokens : undefined;
  }

  /** The target as a channel takes it. */
  request(): { pkcs11: string; rootOfTrust: 'aes' | 'rsa'; tokenLabel?: string } {
    return { pkcs11: this.pkcs11.trim(), rootOfTrust: this.rootOfTrust, ...(this.tokenLabel.trim() === '' ? {} : { tokenLabel: this.tokenLabel.trim() }) };
  }
}
