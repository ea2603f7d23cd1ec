import type { z } from 'zod';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KmsError, toErrorShape } from '../../src-shared/errors';
import { CHANNELS, CliCall, isChannel, type Channel, type ChannelRequest, type ChannelResponse, type Reply } from '../../src-shared/ipc/channels';
import type { Caller } from '../../src-shared/caller';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { validate } from '../../src-shared/kms/validate';
import { verifyAuditLog } from '../audit/verify';
import { accountRoot, listenForLockRequests, openVault, readStatus } from '../bootstrap';
import { tokensOfModule } from '../hsm/tokensOfModule';
import { vaultFiles } from '../kms/lifecycle/files';
import type { Vault } from '../kms/lifecycle/vault';
import { authenticate, signIn } from '../kms/pipeline/authenticate';
import { invoke } from '../kms/pipeline/invoke';
import { pem, type ToSign } from '../x509/build';
import { CertificateInputError } from '../x509/errors';
import { csrPlan, issuedPlan, selfSignedPlan, type SigningKey } from '../x509/plans';
import { declareHolderKind, holderName } from '../vault/ownerLock';
import { startLocalChannel, type LocalChannel } from './localChannel';
import { browse } from '../files/browse';
import { ceremonyHandlers, type CeremonyChannel, type ChannelHandlers } from './ceremonyChannels';
import { FileJobs } from './fileJobs';
import { bounded, RefusalLog } from './refusalLog';

type Handlers = ChannelHandlers<Channel>;

/** What the composition root gives the core beside its home. */
export interface CoreServices {
  /** Shows a file in the desktop's file manager (the Electron app has one); the browser host says the folder instead. */
  readonly reveal?: (path: string) => void;
  /** The bundle of the file worker (files/fileWorker.ts); by default the one beside this bundle, as the app and the command line ship it. */
  readonly fileWorker?: string;
}

/**
 * The core as the interface's doors (Electron IPC, the browser host) reach
 * it: one vault home, held open by this process once it exists, and one
 * handler per channel of the map. Every request is validated against the
 * map; every reply is `{ok, value}` or `{ok: false, error}` with an AWS name.
 * While it holds the vault, it also takes the command line's KMS calls on
 * the vault's local channel.
 */
export class AppCore {
  private vault: Vault | undefined;
  private stopListening: (() => void) | undefined;
  private channel: LocalChannel | undefined;
  private readonly lockListeners: (() => void)[] = [];
  private readonly refusals: RefusalLog;
  /** The IAM user the interface acts as, signed in with an access key, until the vault locks; the account root otherwise. */
  private actingAs: Caller | undefined;
  /** Batches of files encrypted or decrypted on worker threads. */
  private readonly fileJobs: FileJobs;
  private readonly handlers: Handlers;

  constructor(
    readonly home: string,
    readonly source: 'app' | 'host',
    private readonly services: CoreServices = {},
  ) {
    declareHolderKind(source);
    this.fileJobs = new FileJobs(services.fileWorker ?? join(__dirname, 'fileWorker.js'), (operation, input) => this.call(operation, input));
    this.refusals = new RefusalLog(source, (event) => this.openVault()?.audit.record(event));
    this.onVaultLock(() => {
      this.actingAs = undefined;
      this.fileJobs.cancelAll();
    });
    const ceremonies = ceremonyHandlers({
      home,
      source,
      call: (operation, input) => this.call(operation, input),
      openVault: () => this.openVault(),
      requireVault: () => this.requireVault(),
      requireRoot: (vault, what) => {
        this.requireRoot(vault, what);
      },
      statusOf: (vault) => this.statusOf(vault),
      release: () => {
        this.close();
      },
    });
    this.handlers = { ...this.ownHandlers(), ...ceremonies };
  }

  /** Calls `listener` each time the vault this process holds locks, for whatever reason. */
  onVaultLock(listener: () => void): void {
    this.lockListeners.push(listener);
    this.vault?.onLock(listener);
  }

  /** Handles one request from the interface; one that names no channel or does not fit its channel's schema is refused and audited. */
  handle(channel: string, request: unknown): Reply {
    let valid: unknown;
    try {
      if (!isChannel(channel)) throw new KmsError('ValidationException', 'There is no such channel.');
      valid = validate(CHANNELS[channel].request, request);
    } catch (error) {
      return this.refused(channel, error instanceof KmsError ? error.message : 'malformed request', error);
    }
    try {
      const handler = this.handlers[channel] as (request: unknown) => unknown;
      return { ok: true, value: handler(valid) };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  }

  /** As {@link handle}, for the doors: waits for a channel whose work is asynchronous (a recovery split). */
  async handleAsync(channel: string, request: unknown): Promise<Reply> {
    const reply = this.handle(channel, request);
    if (!reply.ok || !(reply.value instanceof Promise)) return reply;
    try {
      return { ok: true, value: (await reply.value) as unknown };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  }

  /** Refuses a request that a door would not pass on (wrong origin, wrong frame, bad payload), with AccessDeniedException. */
  refuse(channel: string, reason: string, userAgent?: string): Reply {
    return this.refused(channel, reason, new KmsError('AccessDeniedException', `Request refused: ${bounded(reason)}.`), userAgent);
  }

  /** Answers `error` to a request that never reached its handler, recording it (bounded and rate-limited, see RefusalLog) when there is a vault to record it in. */
  private refused(channel: string, reason: string, error: unknown, userAgent?: string): Reply {
    try {
      this.refusals.record({ channel, reason, userAgent }, error);
    } catch {
      // The refusal stands even when it cannot be recorded.
    }
    return { ok: false, error: toErrorShape(error) };
  }

  /**
   * Runs a KMS call that a `strongroom` command sent on the local channel,
   * as that command's call: the audit record names the command line as the
   * caller's door, and this process in its user agent. The one place the
   * channel reaches the core.
   */
  private callFromCli({ operation, input, accessKey }: z.output<typeof CliCall>): unknown {
    const vault = this.requireVault();
    const userAgent = `strongroom-cli-via-${this.source}`;
    try {
      const caller: Caller = accessKey === undefined ? { ...accountRoot(vault, 'cli'), userAgent } : authenticate(vault, accessKey, 'cli', operation, userAgent);
      return invoke(vault, caller, operation, input);
    } catch (error) {
      if (error instanceof KmsError && error.type === 'VaultLockedException') {
        const holder = holderName({ pid: process.pid, state: 'locked', kind: this.source });
        throw new KmsError('VaultLockedException', `The vault is held by ${holder}, which is locked. Unlock it there, or close it, and run the command again.`);
      }
      throw error;
    }
  }

  /** The channel's answer to an authenticated line: the reply to its call (an AWS KMS or IAM operation, a contact's, or the policy simulator), as the root or the user of the access key it gives. */
  private answerCli(operation: unknown, input: unknown, accessKey: unknown): Reply {
    try {
      return { ok: true, value: this.callFromCli(validate(CliCall, { operation, input, ...(accessKey === undefined ? {} : { accessKey }) })) };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  }

  /** A certificate request or certificate signed by a KMS key through the same calls as any other (GetPublicKey, Sign); a bad subject or request is ValidationException. */
  private makeCertificate(request: ChannelRequest<'x509:make'>): { pem: string } {
    const { keyId } = request;
    const plan = (key: SigningKey): ToSign => {
      if (request.kind === 'csr') return csrPlan(key, request);
      if (request.kind === 'self-signed') return selfSignedPlan(key, request);
      return issuedPlan(key, { ...request, issuerCert: Buffer.from(request.issuerCert), csr: Buffer.from(request.csr) });
    };
    try {
      const { tbs, algorithm, finish } = plan(this.call('GetPublicKey', { KeyId: keyId }) as SigningKey);
      const { Signature } = this.call('Sign', { KeyId: keyId, Message: tbs.toString('base64'), MessageType: 'RAW', SigningAlgorithm: algorithm }) as { Signature: string };
      return { pem: pem(request.kind === 'csr' ? 'CERTIFICATE REQUEST' : 'CERTIFICATE', finish(Buffer.from(Signature, 'base64'))) };
    } catch (error) {
      if (error instanceof CertificateInputError) throw new KmsError('ValidationException', error.message.replace(/^--([a-z-]+)/, (flag) => flag.slice(2)));
      throw error;
    }
  }

  /** Locks and closes the vault, giving up ownership. */
  close(): void {
    this.refusals.flush();
    this.channel?.close();
    this.channel = undefined;
    this.stopListening?.();
    this.vault?.close();
    this.vault = undefined;
  }

  /** The vault, opened for this process the first time it is needed; undefined while none exists. */
  private openVault(): Vault | undefined {
    if (this.vault === undefined && existsSync(vaultFiles(this.home).db)) {
      this.vault = openVault(this.home, this.source);
      this.stopListening = listenForLockRequests(this.vault);
      for (const listener of this.lockListeners) this.vault.onLock(listener);
      this.channel = startLocalChannel(
        this.home,
        { answer: (operation, input, accessKey) => this.answerCli(operation, input, accessKey), refuse: (reason) => this.refuse('cli-channel', reason) },
        (error) => {
          process.stderr.write(`strongroom: the command line's channel did not start (${error.message}); "strongroom kms" gets VaultInUseException while this process holds the vault.\n`);
        },
      );
    }
    return this.vault;
  }

  private requireVault(): Vault {
    const vault = this.openVault();
    if (vault === undefined) throw new KmsError('VaultNotInitializedException', 'There is no vault yet. Create one first.');
    return vault;
  }

  /** Who the interface acts as: the user it signed in as, or the account root, who unlocked the vault through this door. */
  private caller(vault: Vault): Caller {
    return this.actingAs ?? accountRoot(vault, this.source);
  }

  /** AccessDeniedException while the interface acts as a user: the vault's own settings are the account root's. */
  private requireRoot(vault: Vault, what: string): void {
    const { principal } = this.caller(vault);
    if (principal.type !== 'Root') throw new KmsError('AccessDeniedException', `User: ${principal.arn} may not ${what}: only the account root may. Lock the vault and unlock it with the PIN to act as the root.`);
  }

  /** Runs an operation through the core's pipeline as whoever the interface acts as. */
  private call(operation: CoreOperationName, input: unknown): unknown {
    const vault = this.requireVault();
    return invoke(vault, this.caller(vault), operation, input);
  }

  /** The vault's status as the interface sees it: while unlocked, with who it acts as. */
  private statusOf(vault: Vault): ChannelResponse<'vault:status'> {
    const status = vault.status();
    if (status.State !== 'Unlocked') return status;
    const { principal, accessKeyId } = this.caller(vault);
    return { ...status, ActingAs: { Principal: principal.arn, Door: this.source, ...(accessKeyId === undefined ? {} : { AccessKeyId: accessKeyId }) } };
  }

  /** The handlers of the channels that are not ceremonies (ceremonyChannels.ts holds those). */
  private ownHandlers(): Omit<Handlers, CeremonyChannel> {
    return {
      'vault:status': () => {
        const vault = this.openVault();
        return vault === undefined ? readStatus(this.home) : this.statusOf(vault);
      },
      'vault:unlock': ({ pin }) => {
        const vault = this.requireVault();
        vault.unlock(pin);
        return this.statusOf(vault);
      },
      'vault:lock': () => {
        const vault = this.requireVault();
        vault.lock();
        return this.statusOf(vault);
      },
      'vault:setAutoLock': ({ seconds }) => {
        const vault = this.requireVault();
        this.requireRoot(vault, 'change when the vault locks itself');
        vault.use(() => {
          vault.setAutoLockSeconds(seconds);
        });
        return this.statusOf(vault);
      },
      'vault:activity': () => {
        const vault = this.openVault();
        if (vault === undefined) return readStatus(this.home);
        if (vault.isUnlocked) vault.use(() => undefined);
        return this.statusOf(vault);
      },
      'vault:changePin': ({ currentPin, newPin }) => {
        const vault = this.requireVault();
        vault.use(() => undefined); // unlocked first: this is no way to unlock
        vault.changePin(currentPin, newPin);
        return this.statusOf(vault);
      },
      'vault:setUnlockAttempts': ({ attempts }) => {
        const vault = this.requireVault();
        this.requireRoot(vault, 'change how many wrong PINs lock the vault out');
        vault.use(() => {
          vault.setMaxUnlockAttempts(attempts);
        });
        return this.statusOf(vault);
      },
      'tokens:list': ({ pkcs11 }) => tokensOfModule(pkcs11),
      'kms:call': ({ operation, input }) => this.call(operation, input),
      'iam:call': ({ operation, input }) => this.call(operation, input),
      'files:call': ({ operation, input }) => this.call(operation, input),
      'files:start': (request) => {
        this.requireVault().use(() => undefined); // unlocked, before a worker starts
        return this.fileJobs.start(request);
      },
      'files:job': ({ jobId }) => this.fileJobs.state(jobId),
      'files:cancel': ({ jobId }) => this.fileJobs.cancel(jobId),
      'files:browse': ({ dir }) => browse(dir),
      'files:reveal': ({ path }) => {
        this.services.reveal?.(path);
        return { folder: dirname(path), shown: this.services.reveal !== undefined };
      },
      'session:actAs': (credentials) => {
        const vault = this.requireVault();
        this.actingAs = signIn(vault, credentials, this.source);
        return this.statusOf(vault);
      },
      'keys:page': (request) => this.call('ListKeyDetails', request),
      'audit:page': (request) => this.call('LookupEvents', request),
      'x509:make': (request) => this.makeCertificate(request),
      'policy:simulate': (request) => this.call('SimulatePolicy', request),
      'audit:verify': () => {
        const vault = this.requireVault();
        vault.audit.flush();
        return verifyAuditLog(vault.db, vault.isUnlocked ? { token: vault.auditTokenEvidence() } : {});
      },
    };
  }
}
