import type { ChannelRequest, ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { CeremonyRecordForm } from './ceremonyRecord.svelte';
import { ShareList, TokenTarget } from './ceremonyInputs.svelte';
import { tasks } from './tasks.svelte';

type Custodian = { id: number; name: string; passphrase: string; repeat: string };

/**
 * The recovery split ceremony: the current split, and a new one made step
 * by step (custodians and their passphrases, the threshold, where the
 * shares go, a confirmation), then the files written. Passphrases live only
 * in this instance, cleared once the split is made or abandoned.
 */
export class RecoveryCeremony {
  status = $state<ChannelResponse<'recovery:status'> | undefined>(undefined);
  custodians = $state<Custodian[]>([]);
  threshold = $state(2);
  outDir = $state('');
  print = $state(true);
  /** The step shown: the form, the confirmation, or the result. */
  step = $state<'form' | 'confirm' | 'done'>('form');
  made = $state<ChannelResponse<'recovery:split'> | undefined>(undefined);
  readonly record = new CeremonyRecordForm();
  private next = 0;

  constructor() {
    for (let i = 0; i < 3; i += 1) this.addCustodian();
  }

  /** What stops the split, in words; undefined when it can go ahead. */
  readonly problem = $derived.by(() => {
    const names = this.custodians.map((c) => c.name.trim().toLowerCase());
    if (names.some((name) => name === '')) return 'Name every custodian.';
    if (names.some((name, i) => names.indexOf(name) !== i)) return 'Each custodian is named once.';
    if (this.custodians.some((c) => c.passphrase.length < 12)) return 'Each custodian types a passphrase of 12 characters or more.';
    if (this.custodians.some((c) => c.passphrase !== c.repeat)) return 'A custodian’s two passphrases differ.';
    if (this.threshold < 2 || this.threshold > this.custodians.length) return `The threshold is 2 to ${String(this.custodians.length)}.`;
    if (this.outDir.trim() === '') return 'Choose the folder the shares go to.';
    return this.record.problem;
  });

  async load(): Promise<void> {
    const result = await tasks.run('recovery:status', () => call('recovery:status', {}));
    if (result.ok) this.status = result.value;
  }

  addCustodian(): void {
    this.custodians.push({ id: (this.next += 1), name: '', passphrase: '', repeat: '' });
  }

  removeCustodian(id: number): void {
    this.custodians = this.custodians.filter((c) => c.id !== id);
  }

  async split(): Promise<void> {
    const request = this.record.attachTo({ threshold: this.threshold, custodians: this.custodians.map((c) => ({ name: c.name.trim(), passphrase: c.passphrase })), outDir: this.outDir.trim(), print: this.print });
    const result = await tasks.run('recovery:split', () => call('recovery:split', request));
    this.record.restart();
    if (!result.ok) {
      this.step = 'form';
      return;
    }
    this.made = result.value;
    this.step = 'done';
    this.forget();
    await this.load();
  }

  /** Clears the passphrases typed. */
  forget(): void {
    for (const custodian of this.custodians) {
      custodian.passphrase = '';
      custodian.repeat = '';
    }
  }
}

/** The backup ceremony: the whole vault to one file, and what it holds. */
export class BackupCeremony {
  file = $state('');
  step = $state<'form' | 'confirm'>('form');
  made = $state<ChannelResponse<'backup:create'> | undefined>(undefined);
  readonly record = new CeremonyRecordForm();

  readonly problem = $derived(this.file.trim() === '' ? 'Choose the backup file to write.' : this.record.problem);

  async create(): Promise<void> {
    const result = await tasks.run('backup:create', () => call('backup:create', this.record.attachTo({ file: this.file.trim() })));
    this.record.restart();
    this.step = 'form';
    if (result.ok) this.made = result.value;
  }
}

/**
 * The restore ceremony of the first run: a backup file (its manifest read
 * first, to review); what opens it, M share files each with its custodian's
 * passphrase or the token it was sealed on with its PIN; and the new token,
 * embedded (a passphrase) or of a PKCS#11 module (its PIN). Passphrases and
 * PINs live only in this instance, cleared once the restore is done or
 * abandoned.
 */
export class RestoreCeremony {
  file = $state('');
  manifest = $state<ChannelResponse<'backup:inspect'> | undefined>(undefined);
  opening = $state<'shares' | 'token'>('shares');
  readonly shares = new ShareList();
  oldPin = $state('');
  /** The home whose embedded token the backup was sealed on. */
  oldHome = $state('');
  /** Where the backup's external token is now, if not where the backup says. */
  oldPkcs11 = $state('');
  target = $state<'embedded' | 'pkcs11'>('embedded');
  readonly token = new TokenTarget();
  readonly record = new CeremonyRecordForm();

  /** What the backup says of its recovery split (threshold, custodians), once inspected. */
  get split(): { Threshold: number; Custodians: string[] } | undefined {
    return this.manifest?.RecoverySplit as { Threshold: number; Custodians: string[] } | undefined;
  }

  /** What the backup says of the token it was sealed on, once inspected. */
  get sealedOn(): { Kind: string; Label: string } | undefined {
    return this.manifest?.Token as { Kind: string; Label: string } | undefined;
  }

  readonly problem = $derived.by(() => {
    if (this.manifest === undefined) return 'Read the backup first.';
    if (this.opening === 'shares') {
      if (this.split === undefined) return 'This backup was made before the vault had a recovery split: open it with the token it was sealed on.';
      if (this.shares.problem !== undefined) return this.shares.problem;
      if (this.shares.items.length < this.split.Threshold) return `This backup needs ${String(this.split.Threshold)} shares.`;
    } else {
      if (this.sealedOn?.Kind === 'embedded' && this.oldHome.trim() === '') return 'Name the folder of the vault whose embedded token the backup was sealed on.';
      if (this.oldPin === '') return 'Type the PIN (passphrase) of the token the backup was sealed on.';
    }
    if (this.target === 'pkcs11' && this.token.pkcs11.trim() === '') return 'Give the module path or pkcs11: URI of the new token.';
    return this.record.problem;
  });

  async inspect(): Promise<void> {
    const result = await tasks.run('backup:inspect', () => call('backup:inspect', { file: this.file.trim() }));
    this.manifest = result.ok ? result.value : undefined;
  }

  async restore(pin: string): Promise<ChannelResponse<'vault:restore'> | undefined> {
    const opening =
      this.opening === 'shares'
        ? { shares: this.shares.request() }
        : { oldToken: { pin: this.oldPin, ...(this.oldHome.trim() === '' ? {} : { home: this.oldHome.trim() }), ...(this.oldPkcs11.trim() === '' ? {} : { pkcs11: this.oldPkcs11.trim() }) } };
    const target = this.target === 'embedded' ? {} : this.token.request();
    const request: ChannelRequest<'vault:restore'> = this.record.attachTo({ file: this.file.trim(), ...opening, ...target, pin });
    const result = await tasks.run('vault:restore', () => call('vault:restore', request));
    this.forget();
    return result.ok ? result.value : undefined;
  }

  /** Clears the passphrases and PINs typed. */
  forget(): void {
    this.shares.forget();
    this.oldPin = '';
  }
}
