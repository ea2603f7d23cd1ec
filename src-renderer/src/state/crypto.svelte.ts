import { call, kms } from '../lib/api';
import { isBase64 } from '../../../src-shared/kms/wire';
import { base64ToText, textToBase64 } from '../lib/format';
import { tasks } from './tasks.svelte';

type Pair = { id: number; key: string; value: string };

/**
 * The crypto console's fields and results. One instance per visit to the
 * screen: the screen calls clear() when it goes, so no plaintext, data key or
 * random bytes outlive it. Nothing here is ever logged.
 */
export class CryptoConsole {
  keyId = $state('');
  input = $state('');
  inputIsBase64 = $state(false);
  context = $state<Pair[]>([]);
  ciphertext = $state('');
  outputAsBase64 = $state(false);
  dataKey = $state<{ plaintext: string; ciphertext: string } | undefined>(undefined);
  randomBytes = $state(32);
  random = $state('');
  /** Enabled keys to choose from: [value, label]. */
  choices = $state<[string, string][]>([]);
  /** The decrypted plaintext, base64 as the core returns it. */
  private decrypted = $state<string | undefined>(undefined);
  private nextPair = 0;

  readonly inputProblem = $derived(this.inputIsBase64 && !isBase64(this.input.trim()) ? 'This is not standard base64.' : undefined);
  readonly decryptedText = $derived(this.decrypted === undefined ? undefined : base64ToText(this.decrypted));
  /** The plaintext as shown: text unless asked for base64 or the bytes are not UTF-8. */
  readonly output = $derived(this.outputAsBase64 || this.decryptedText === undefined ? (this.decrypted ?? '') : this.decryptedText);

  private get encryptionContext(): { EncryptionContext?: Record<string, string> } {
    const pairs = this.context.filter((pair) => pair.key !== '');
    return pairs.length === 0 ? {} : { EncryptionContext: Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])) };
  }

  async loadChoices(): Promise<void> {
    const page = await tasks.run('keys', () => call('keys:page', { state: 'Enabled', limit: 100 }));
    this.choices = (page.ok ? page.value.keys : []).flatMap((k) => [...k.Aliases.map((a): [string, string] => [a, k.Description]), [k.KeyId, k.Aliases[0] ?? k.Description] as [string, string]]);
  }

  addPair(): void {
    this.context.push({ id: this.nextPair++, key: '', value: '' });
  }

  removePair(id: number): void {
    this.context = this.context.filter((pair) => pair.id !== id);
  }

  async encrypt(): Promise<void> {
    const Plaintext = this.inputIsBase64 ? this.input.trim() : textToBase64(this.input);
    const result = await tasks.run('encrypt', () => kms('Encrypt', { KeyId: this.keyId.trim(), Plaintext, ...this.encryptionContext }));
    if (result.ok && result.value.CiphertextBlob !== undefined) this.ciphertext = result.value.CiphertextBlob;
  }

  async decrypt(): Promise<void> {
    this.decrypted = undefined;
    const keyId = this.keyId.trim();
    const result = await tasks.run('decrypt', () => kms('Decrypt', { CiphertextBlob: this.ciphertext.trim(), ...this.encryptionContext, ...(keyId === '' ? {} : { KeyId: keyId }) }));
    if (result.ok) this.decrypted = result.value.Plaintext;
  }

  async generateDataKey(KeySpec: 'AES_256' | 'AES_128'): Promise<void> {
    this.dataKey = undefined;
    const result = await tasks.run(`data-key-${KeySpec}`, () => kms('GenerateDataKey', { KeyId: this.keyId.trim(), KeySpec, ...this.encryptionContext }));
    if (result.ok && result.value.Plaintext !== undefined && result.value.CiphertextBlob !== undefined) this.dataKey = { plaintext: result.value.Plaintext, ciphertext: result.value.CiphertextBlob };
  }

  async generateRandom(): Promise<void> {
    this.random = '';
    const result = await tasks.run('random', () => kms('GenerateRandom', { NumberOfBytes: this.randomBytes }));
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
