import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call, kms } from '../lib/api';
import { isBase64 } from '../../../src-shared/kms/wire';
import { base64ToText, textToBase64 } from '../lib/format';
import { Form } from './form.svelte';
import { tasks } from './tasks.svelte';

type Pair = { id: number; key: string; value: string };

/** The console's fields that hold nothing secret: a draft that outlives the screen (a lock, a look elsewhere). */
interface CryptoDraft {
  keyId: string;
  context: Pair[];
  /** Grant tokens, one per line, for a key that a grant just made lets the caller use. */
  grantTokens: string;
  ciphertext: string;
  inputIsBase64: boolean;
  outputAsBase64: boolean;
  randomBytes: number;
}

/**
 * The crypto console's fields and results. The key, the encryption context,
 * the ciphertext and the choices are a Form draft, kept across a lock; the
 * plaintext typed in, the decrypted plaintext, data keys and random bytes
 * live only in this instance, one per visit to the screen, which the screen
 * clears when it goes (as it does when the vault locks). Nothing here is
 * ever logged.
 */
export class CryptoConsole {
  readonly form = new Form<CryptoDraft>('crypto', () => ({ keyId: '', context: [], grantTokens: '', ciphertext: '', inputIsBase64: false, outputAsBase64: false, randomBytes: 32 }));
  readonly draft = this.form.values;
  input = $state('');
  dataKey = $state<{ plaintext: string; ciphertext: string } | undefined>(undefined);
  random = $state('');
  /** Enabled keys to choose from: [value, label]. */
  choices = $state<[string, string][]>([]);
  /** The decrypted plaintext, base64 as the core returns it. */
  private decrypted = $state<string | undefined>(undefined);

  readonly inputProblem = $derived(this.draft.inputIsBase64 && !isBase64(this.input.trim()) ? 'This is not standard base64.' : undefined);
  readonly decryptedText = $derived(this.decrypted === undefined ? undefined : base64ToText(this.decrypted));
  /** The plaintext as shown: text unless asked for base64 or the bytes are not UTF-8. */
  readonly output = $derived(this.draft.outputAsBase64 || this.decryptedText === undefined ? (this.decrypted ?? '') : this.decryptedText);

  /** What every call of the console adds to its request: the encryption context and the grant tokens, when there are any. */
  private get shared(): { EncryptionContext?: Record<string, string>; GrantTokens?: string[] } {
    const pairs = this.draft.context.filter((pair) => pair.key !== '');
    const tokens = this.draft.grantTokens.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    return { ...(pairs.length === 0 ? {} : { EncryptionContext: Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])) }), ...(tokens.length === 0 ? {} : { GrantTokens: tokens }) };
  }

  /** Offers the enabled keys; quietly none when the key list cannot be read (a user whose policies do not allow kms:ListKeys can still name a key). */
  async loadChoices(): Promise<void> {
    let keys: ChannelResponse<'keys:page'>['keys'] = [];
    try {
      keys = (await call('keys:page', { state: 'Enabled', limit: 100 })).keys;
    } catch {
      keys = [];
    }
    this.choices = keys.flatMap((k) => [...k.Aliases.map((a): [string, string] => [a, k.Description]), [k.KeyId, k.Aliases[0] ?? k.Description] as [string, string]]);
  }

  addPair(): void {
    const id = Math.max(-1, ...this.draft.context.map((pair) => pair.id)) + 1;
    this.draft.context.push({ id, key: '', value: '' });
  }

  removePair(id: number): void {
    this.draft.context = this.draft.context.filter((pair) => pair.id !== id);
  }

  async encrypt(): Promise<void> {
    const Plaintext = this.draft.inputIsBase64 ? this.input.trim() : textToBase64(this.input);
    const result = await tasks.run('encrypt', () => kms('Encrypt', { KeyId: this.draft.keyId.trim(), Plaintext, ...this.shared }));
    if (result.ok && result.value.CiphertextBlob !== undefined) this.draft.ciphertext = result.value.CiphertextBlob;
  }

  async decrypt(): Promise<void> {
    this.decrypted = undefined;
    const keyId = this.draft.keyId.trim();
    const result = await tasks.run('decrypt', () => kms('Decrypt', { CiphertextBlob: this.draft.ciphertext.trim(), ...this.shared, ...(keyId === '' ? {} : { KeyId: keyId }) }));
    if (result.ok) this.decrypted = result.value.Plaintext;
  }

  async generateDataKey(KeySpec: 'AES_256' | 'AES_128'): Promise<void> {
    this.dataKey = undefined;
    const result = await tasks.run(`data-key-${KeySpec}`, () => kms('GenerateDataKey', { KeyId: this.draft.keyId.trim(), KeySpec, ...this.shared }));
    if (result.ok && result.value.Plaintext !== undefined && result.value.CiphertextBlob !== undefined) this.dataKey = { plaintext: result.value.Plaintext, ciphertext: result.value.CiphertextBlob };
  }

  async generateRandom(): Promise<void> {
    this.random = '';
    const result = await tasks.run('random', () => kms('GenerateRandom', { NumberOfBytes: this.draft.randomBytes }));
    this.random = result.ok ? (result.value.Plaintext ?? '') : '';
  }

  /** Forgets every secret the console holds. */
  clear(): void {
    this.input = '';
    this.decrypted = undefined;
    this.dataKey = undefined;
    this.random = '';
  }
}
