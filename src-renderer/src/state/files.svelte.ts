import type { FileJobState, Folder } from '../../../src-shared/files/jobs';
import { call, files } from '../lib/api';
import { tasks } from './tasks.svelte';

type Pair = { id: number; key: string; value: string };

/** A key or contact that a file can be encrypted for, as the screen lists it: what is sent, what is shown. */
export interface RecipientChoice {
  readonly value: string;
  readonly label: string;
  readonly kind: string;
}

/** How often a running batch is looked at. */
const POLL_MS = 250;

/** Key specs and usages a file can be encrypted for: symmetric and RSA keys that encrypt, NIST EC keys that agree keys. */
function isRecipientKey(spec: string, usage: string): string | undefined {
  if (usage === 'ENCRYPT_DECRYPT' && spec === 'SYMMETRIC_DEFAULT') return 'KMS key';
  if (usage === 'ENCRYPT_DECRYPT' && spec.startsWith('RSA_')) return `${spec} key`;
  if (usage === 'KEY_AGREEMENT' && spec.startsWith('ECC_NIST_')) return `${spec} key`;
  return undefined;
}

/**
 * The Files screen: files picked (from the core's folders, typed, or
 * dropped in the app), for whom and how to encrypt them, and the batch the
 * core runs on a worker thread, followed until it ends. Paths and public
 * keys only: no file's content passes through the interface.
 */
export class FilesWork {
  mode = $state<'encrypt' | 'decrypt'>('encrypt');
  paths = $state<string[]>([]);
  typedPath = $state('');
  keys = $state<RecipientChoice[]>([]);
  contacts = $state<RecipientChoice[]>([]);
  signers = $state<RecipientChoice[]>([]);
  chosen = $state<string[]>([]);
  /** More recipients, one a line: age recipients, public key files. */
  others = $state('');
  context = $state<Pair[]>([]);
  signKeyId = $state('');
  outputDir = $state('');
  replace = $state(false);
  job = $state<FileJobState | undefined>(undefined);
  /** The folder the picker shows, and what it picks: files to add, or the folder results go to. */
  picker = $state<{ folder: Folder; picking: 'files' | 'folder' } | undefined>(undefined);
  /** A folder the core could not show in a file manager (the browser host), to say instead. */
  shownFolder = $state<string | undefined>(undefined);
  private nextPair = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  readonly recipients = $derived([...this.chosen, ...this.others.split('\n').map((line) => line.trim()).filter((line) => line !== '')]);
  readonly running = $derived(this.job?.state === 'running');

  /** Offers the keys and contacts to encrypt for, and the keys to sign with; quietly none of a list the caller may not read. */
  async load(): Promise<void> {
    try {
      const { keys } = await call('keys:page', { state: 'Enabled', limit: 500 });
      const name = (key: (typeof keys)[number]): string => key.Aliases[0] ?? key.KeyId;
      this.keys = keys.flatMap((key) => {
        const kind = isRecipientKey(key.KeySpec, key.KeyUsage);
        return kind === undefined ? [] : [{ value: key.Aliases[0] ?? key.KeyId, label: name(key), kind }];
      });
      this.signers = keys.filter((key) => key.KeySpec === 'ECC_NIST_P384' && key.KeyUsage === 'SIGN_VERIFY').map((key) => ({ value: key.KeyId, label: name(key), kind: 'ECC_NIST_P384 signing key' }));
    } catch {
      this.keys = [];
    }
    try {
      const { Contacts } = await files('ListContacts', {});
      this.contacts = Contacts.map((contact) => ({ value: contact.Name, label: contact.Name, kind: { rsa: 'RSA public key', ec: 'EC public key', age: 'age recipient' }[contact.Kind] }));
    } catch {
      this.contacts = [];
    }
  }

  add(paths: readonly string[]): void {
    this.paths = [...this.paths, ...paths.filter((path, i) => !this.paths.includes(path) && paths.indexOf(path) === i)];
  }

  addTyped(): void {
    if (this.typedPath.trim() === '') return;
    this.add([this.typedPath.trim()]);
    this.typedPath = '';
  }

  remove(path: string): void {
    this.paths = this.paths.filter((p) => p !== path);
  }

  toggle(value: string): void {
    this.chosen = this.chosen.includes(value) ? this.chosen.filter((v) => v !== value) : [...this.chosen, value];
  }

  addPair(): void {
    this.context.push({ id: (this.nextPair += 1), key: '', value: '' });
  }

  removePair(id: number): void {
    this.context = this.context.filter((pair) => pair.id !== id);
  }

  /** Opens the picker on `dir`: by default the folder of the last file added, else the home folder. */
  async browse(picking: 'files' | 'folder', dir = this.lastFolder()): Promise<void> {
    const result = await tasks.run('files:browse', () => call('files:browse', dir === undefined ? {} : { dir }));
    if (result.ok) this.picker = { folder: result.value, picking };
  }

  private lastFolder(): string | undefined {
    const last = this.paths.at(-1);
    const slash = last?.lastIndexOf('/') ?? -1;
    return last === undefined || slash <= 0 ? undefined : last.slice(0, slash);
  }

  /** The picker's choice: files to add, or the folder results go to. */
  picked(paths: readonly string[]): void {
    if (this.picker?.picking === 'folder') this.outputDir = paths[0] ?? '';
    else this.add(paths);
    this.picker = undefined;
  }

  async start(): Promise<void> {
    const pairs = this.context.filter((pair) => pair.key !== '');
    const request = {
      kind: this.mode,
      paths: this.paths,
      replace: this.replace,
      ...(this.outputDir === '' ? {} : { outputDir: this.outputDir }),
      ...(this.mode === 'encrypt' ? { recipients: this.recipients } : {}),
      ...(this.mode === 'encrypt' && pairs.length > 0 ? { context: Object.fromEntries(pairs.map((pair) => [pair.key, pair.value])) } : {}),
      ...(this.mode === 'encrypt' && this.signKeyId !== '' ? { signKeyId: this.signKeyId } : {}),
    };
    this.shownFolder = undefined;
    const result = await tasks.run('files:start', () => call('files:start', request));
    if (!result.ok) return;
    this.job = result.value;
    this.follow();
  }

  /** Looks at the batch until it ends (again, when the screen comes back to it). */
  follow(): void {
    clearTimeout(this.timer);
    if (this.job?.state !== 'running') return;
    const { jobId } = this.job;
    this.timer = setTimeout(() => {
      void call('files:job', { jobId }).then(
        (state) => {
          this.job = state;
          this.follow();
        },
        () => {
          this.follow();
        },
      );
    }, POLL_MS);
  }

  async cancel(): Promise<void> {
    const jobId = this.job?.jobId;
    if (jobId === undefined) return;
    const result = await tasks.run('files:cancel', () => call('files:cancel', { jobId }));
    if (result.ok) this.job = result.value;
    this.follow();
  }

  /** Shows a result in the file manager (the app), or says its folder (the browser). */
  async reveal(path: string): Promise<void> {
    const result = await tasks.run('files:reveal', () => call('files:reveal', { path }));
    if (result.ok) this.shownFolder = result.value.shown ? undefined : result.value.folder;
  }

  /** Stops looking at the batch (the screen is left); the batch itself goes on. */
  stop(): void {
    clearTimeout(this.timer);
  }
}

/** One for the console: what was picked and the batch running stay while the person looks at other screens. */
export const filesWork = new FilesWork();
