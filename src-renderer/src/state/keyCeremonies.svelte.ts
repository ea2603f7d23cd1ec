// The ceremonies that move keys: the root key to another token, replica keys between vaults, key material to a cloud KMS.
import { BYOK_WRAPPING_ALGORITHMS } from '../../../src-shared/ceremonies/operations';
import type { ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { ShareList, TokenTarget } from './ceremonyInputs.svelte';
import { CeremonyRecordForm } from './ceremonyRecord.svelte';
import { session } from './session.svelte';
import { tasks } from './tasks.svelte';

/** The shortest PIN a token's own rules could allow. */
const MIN_TOKEN_PIN = 4;

/**
 * Moving the vault's root key to a token of a PKCS#11 module: the module and
 * token, the new token's PIN, how it wraps the root key, and what opens it:
 * the current passphrase or PIN (checked by unlocking with it again), or,
 * `withShares`, M share files of the recovery split (the token is gone).
 * PINs and passphrases live only in this instance, cleared once the move is
 * done or abandoned.
 */
export class RewrapCeremony {
  readonly shares = new ShareList();
  readonly target = new TokenTarget();
  currentPin = $state('');
  pin = $state('');
  repeat = $state('');
  step = $state<'form' | 'confirm' | 'done'>('form');
  moved = $state<ChannelResponse<'vault:rewrap'> | undefined>(undefined);
  readonly record = new CeremonyRecordForm();

  constructor(readonly withShares: boolean) {}

  readonly problem = $derived.by(() => {
    if (this.target.pkcs11.trim() === '') return 'Give the module path or pkcs11: URI of the new token.';
    if (this.pin.length < MIN_TOKEN_PIN) return `Type the new token’s PIN (at least ${String(MIN_TOKEN_PIN)} characters).`;
    if (this.pin !== this.repeat) return 'The two PINs of the new token differ.';
    if (this.withShares) return this.shares.problem ?? this.record.problem;
    if (this.currentPin === '') return 'Type the vault’s current passphrase or PIN.';
    return this.record.problem;
  });

  async rewrap(): Promise<void> {
    const opening = this.withShares ? { shares: this.shares.request() } : { currentPin: this.currentPin };
    const request = this.record.attachTo({ ...opening, ...this.target.request(), pin: this.pin });
    this.forget();
    const result = await tasks.run('vault:rewrap', () => call('vault:rewrap', request));
    if (!result.ok) {
      this.step = 'form';
      this.record.restart();
      await session.check(); // a wrong current PIN leaves the vault locked
      return;
    }
    session.accept(result.value.status);
    this.moved = result.value;
    this.step = 'done';
  }

  /** Clears the PINs and passphrases typed. */
  forget(): void {
    this.shares.forget();
    this.currentPin = '';
    this.pin = '';
    this.repeat = '';
  }
}

/**
 * Replica keys through files: in the replica's vault a request, then the
 * bundle's import; in the primary's vault the bundle for a request.
 */
export class ReplicaCeremony {
  requestFile = $state('');
  requested = $state<ChannelResponse<'replica:request'> | undefined>(undefined);
  keyId = $state('');
  incomingRequest = $state('');
  bundleFile = $state('');
  exported = $state<ChannelResponse<'replica:export'> | undefined>(undefined);
  incomingBundle = $state('');
  imported = $state<ChannelResponse<'replica:import'> | undefined>(undefined);
  /** Which review is open: the export's or the import's. */
  step = $state<'form' | 'export' | 'import'>('form');
  readonly exportRecord = new CeremonyRecordForm();
  readonly importRecord = new CeremonyRecordForm();

  readonly exportProblem = $derived(
    this.keyId.trim() === '' ? 'Give the multi-Region key to replicate.' : this.incomingRequest.trim() === '' ? 'Give the request file the replica’s vault wrote.' : this.bundleFile.trim() === '' ? 'Choose where the bundle goes.' : this.exportRecord.problem,
  );
  readonly importProblem = $derived(this.incomingBundle.trim() === '' ? 'Give the bundle file the primary’s vault wrote.' : this.importRecord.problem);

  async request(): Promise<void> {
    const result = await tasks.run('replica:request', () => call('replica:request', { file: this.requestFile.trim() }));
    if (result.ok) this.requested = result.value;
  }

  async export(): Promise<void> {
    const request = this.exportRecord.attachTo({ keyId: this.keyId.trim(), requestFile: this.incomingRequest.trim(), file: this.bundleFile.trim() });
    const result = await tasks.run('replica:export', () => call('replica:export', request));
    this.exportRecord.restart();
    this.step = 'form';
    if (result.ok) this.exported = result.value;
  }

  async import(): Promise<void> {
    const request = this.importRecord.attachTo({ file: this.incomingBundle.trim() });
    const result = await tasks.run('replica:import', () => call('replica:import', request));
    this.importRecord.restart();
    this.step = 'form';
    if (result.ok) this.imported = result.value;
  }
}

/** Key material for a cloud KMS: an exportable key's material wrapped under that KMS's wrapping public key, to a file for its ImportKeyMaterial. */
export class ByokCeremony {
  keyId = $state('');
  publicKeyFile = $state('');
  algorithm = $state<(typeof BYOK_WRAPPING_ALGORITHMS)[number]>('RSA_AES_KEY_WRAP_SHA_256');
  file = $state('');
  step = $state<'form' | 'confirm'>('form');
  wrapped = $state<ChannelResponse<'byok:wrap'> | undefined>(undefined);
  readonly record = new CeremonyRecordForm();
  readonly algorithms = BYOK_WRAPPING_ALGORITHMS;

  readonly problem = $derived(
    this.keyId.trim() === '' ? 'Give the exportable key.' : this.publicKeyFile.trim() === '' ? 'Give the wrapping public key file from GetParametersForImport.' : this.file.trim() === '' ? 'Choose where the wrapped material goes.' : this.record.problem,
  );

  async wrap(): Promise<void> {
    const request = this.record.attachTo({ keyId: this.keyId.trim(), wrappingPublicKeyFile: this.publicKeyFile.trim(), wrappingAlgorithm: this.algorithm, file: this.file.trim() });
    const result = await tasks.run('byok:wrap', () => call('byok:wrap', request));
    this.record.restart();
    this.step = 'form';
    if (result.ok) this.wrapped = result.value;
  }
}
