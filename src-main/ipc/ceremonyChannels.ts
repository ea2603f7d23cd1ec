import { KmsError } from '../../src-shared/errors';
import type { CEREMONIES } from '../../src-shared/ceremonies/operations';
import type { Channel, ChannelRequest, ChannelResponse } from '../../src-shared/ipc/channels';
import type { CoreOperationName } from '../../src-shared/kms/extensions';
import { readBackupManifest } from '../backup/backupFile';
import { writeAtomically } from '../envelope/atomicFile';
import { readCeremonyFile, replicationRequestOf, wrappingPublicKeyOf, writeJsonFile } from '../files/ceremonyFiles';
import { createBackup } from '../kms/lifecycle/backup';
import { initVault } from '../kms/lifecycle/init';
import { restoreBackup, type RootSource } from '../kms/lifecycle/restore';
import { rewrapRootKey } from '../kms/lifecycle/rewrap';
import type { Vault } from '../kms/lifecycle/vault';
import { makeSplit } from '../recovery/makeSplit';
import { openShareFiles } from '../recovery/shares';
import { backupStep, byokStep, initStep, replicaExportStep, replicaImportStep, splitStep } from '../transcripts/ceremonySteps';
import type { SignedTranscript } from '../transcripts/transcriptPage';
import { assertTranscriptWritable, writeTranscript } from '../transcripts/writeTranscript';

/** One handler per channel of `C`, each given its request as the channel map validated it. */
export type ChannelHandlers<C extends Channel> = { [K in C]: (request: ChannelRequest<K>) => unknown };

/** What the ceremony channels need of the core that holds the vault. */
export interface CeremonyCore {
  readonly home: string;
  readonly source: 'app' | 'host';
  /** Runs an operation through the core's pipeline as whoever the interface acts as. */
  call(operation: CoreOperationName, input: unknown): unknown;
  /** The vault held, opened the first time; undefined while none exists. */
  openVault(): Vault | undefined;
  requireVault(): Vault;
  /** AccessDeniedException unless the interface acts as the account root. */
  requireRoot(vault: Vault, what: string): void;
  statusOf(vault: Vault): ChannelResponse<'vault:status'>;
  /** Closes the vault held, if any, so that the next call opens it again (after a rewrap, which moved it to another token). */
  release(): void;
}

export type CeremonyChannel = 'vault:init' | 'recovery:status' | 'recovery:split' | 'backup:create' | 'backup:inspect' | 'vault:restore' | 'vault:rewrap' | 'replica:request' | 'replica:export' | 'replica:import' | 'byok:wrap';
type CeremonyRecordRequest = ChannelRequest<'backup:create'>['record'];
type Facts = Record<string, string>;

/** Before a ceremony with a record starts: its transcript can be written at the end. */
function checkRecord(record: CeremonyRecordRequest): void {
  if (record !== undefined) assertTranscriptWritable(record.transcript);
}

/** What opens a backup's or a vault's root key: M share files, or the token it was sealed on. */
function openingOf(shares: ChannelRequest<'vault:restore'>['shares'], oldToken: ChannelRequest<'vault:restore'>['oldToken']): RootSource {
  if (shares !== undefined) return openShareFiles(shares);
  if (oldToken !== undefined) return { token: oldToken };
  throw new KmsError('ValidationException', "Give the share files of M custodians of the recovery split, or the PIN of the token the root key was sealed on.");
}

/** The security-officer PIN of a new embedded token, in the reply that shows it once. */
const shownOnce = (soPin: string | undefined): { securityOfficerPin?: string } => (soPin === undefined ? {} : { securityOfficerPin: soPin });

/**
 * With `record`, the transcript of a ceremony done in the interface: the
 * steps its participants confirmed on the screen, then its own (`step`),
 * and its facts; signed by the vault's audit key and written to the files
 * `record.transcript` names.
 */
async function transcriptOf(core: CeremonyCore, ceremony: (typeof CEREMONIES)[number], record: CeremonyRecordRequest, step: string, facts: Facts): Promise<{ Transcript?: string[] }> {
  if (record === undefined) return {};
  const steps = [...(record.steps ?? []), { At: new Date().toISOString(), Step: step }];
  const signed = core.call('SignCeremonyTranscript', { Ceremony: ceremony, Participants: record.participants, Steps: steps, Facts: facts }) as SignedTranscript;
  return { Transcript: await writeTranscript(record.transcript, signed) };
}

/**
 * The interface's ceremonies (docs/ceremonies.md): the recovery split,
 * backup and restore, moving to a new token, replica keys and keys for a
 * cloud KMS, each through the same core functions and operations as its
 * command, with the same transcript.
 */
export function ceremonyHandlers(core: CeremonyCore): ChannelHandlers<CeremonyChannel> {
  const kms = (operation: CoreOperationName, input: Record<string, unknown>): Record<string, unknown> => core.call(operation, input) as Record<string, unknown>;
  return {
    'vault:init': async ({ record, ...request }) => {
      checkRecord(record);
      const step = initStep(core.home, request.pkcs11, request.rootOfTrust);
      const result = initVault({ home: core.home, ...request });
      const vault = core.requireVault();
      try {
        vault.unlock(request.pin);
      } catch {
        // Recorded as a failed Unlock. The vault exists: its security-officer PIN must still be shown, once, and unlocking can be tried again.
        return { status: core.statusOf(vault), ...shownOnce(result.soPin) };
      }
      const token = vault.record;
      const facts = { VaultId: result.vaultId, AccountId: result.accountId, Token: `${token.tokenLabel} (${token.tokenSerial})` };
      return {
        status: core.statusOf(vault),
        ...shownOnce(result.soPin),
        ...(await transcriptOf(core, 'Init', record, step, facts)),
      };
    },
    'recovery:status': () => core.call('DescribeRecoverySplit', {}),
    'recovery:split': async ({ threshold, custodians, outDir, print, record }) => {
      checkRecord(record);
      const names = custodians.map((custodian) => custodian.name);
      const step = splitStep(names, threshold, outDir);
      const made = await makeSplit((operation, input) => Promise.resolve(kms(operation, input)), { threshold, custodians, outDir, print });
      const facts = { SplitId: (made.RecoverySplit as { SplitId: string }).SplitId, Threshold: String(threshold), Custodians: names.map((name, i) => `${name} (share ${String(i + 1)})`).join(', ') };
      return { ...made, ...(await transcriptOf(core, 'RecoverySplit', record, step, facts)) };
    },
    'backup:create': async ({ file, record }) => {
      checkRecord(record);
      const vault = core.requireVault();
      core.requireRoot(vault, 'back up the vault');
      const made = await createBackup(vault, file, false);
      const facts = { File: file, BackupDate: made.Manifest.BackupDate, Keys: String(made.Manifest.Counts.Keys ?? 0), AuditRecords: String(made.Manifest.Counts.AuditRecords ?? 0) };
      return { ...made, ...(await transcriptOf(core, 'Backup', record, backupStep(file), facts)) };
    },
    'backup:inspect': ({ file }) => readBackupManifest(file),
    'vault:restore': async ({ file, shares, oldToken, pin, pkcs11, tokenLabel, rootOfTrust = 'aes', record }) => {
      checkRecord(record);
      if (core.openVault() !== undefined) throw new KmsError('VaultAlreadyInitializedException', `${core.home} already holds a vault: restore into another home with "strongroom backup restore --force".`);
      const manifest = await readBackupManifest(file);
      const from = openingOf(shares, oldToken);
      const result = await restoreBackup({ file, home: core.home, replace: false, from, to: { pin, rootOfTrust, pkcs11, tokenLabel }, door: core.source });
      const vault = core.requireVault();
      vault.unlock(pin);
      const opened = 'custodians' in from ? `the shares of ${from.custodians.join(', ')}` : `the token it was sealed on ("${manifest.Token.Label}")`;
      const step = `Restore vault ${manifest.VaultId} as backed up on ${manifest.BackupDate} (${file}) into ${core.home}, opened with ${opened}, onto ${pkcs11 ?? 'a new embedded token'} (${rootOfTrust}).`;
      const facts = { VaultId: result.VaultId, BackupDate: manifest.BackupDate, UnlockedWith: 'custodians' in from ? `shares of ${from.custodians.join(', ')}` : 'token' };
      return { status: core.statusOf(vault), ...shownOnce(result.SecurityOfficerPin), ...(await transcriptOf(core, 'Restore', record, step, facts)) };
    },
    'vault:rewrap': async ({ currentPin, shares, pkcs11, tokenLabel, pin, rootOfTrust, record }) => {
      checkRecord(record);
      const vault = core.requireVault();
      const before = vault.record;
      let from: RootSource;
      if (shares !== undefined) {
        // The shares are the authority here: their token gone, the vault cannot be unlocked to ask who acts.
        from = openShareFiles(shares);
      } else if (currentPin !== undefined) {
        core.requireRoot(vault, 'move the vault to another token');
        vault.lock(); // so that the current PIN is checked by unlocking with it again
        from = { token: { pin: currentPin } };
      } else {
        throw new KmsError('ValidationException', "Give the current token's PIN, or the share files of M custodians of the vault's recovery split.");
      }
      const opening = 'custodians' in from ? `the shares of ${from.custodians.join(', ')}` : 'the current token';
      const step = `Move the root key of vault ${before.vaultId} from token "${before.tokenLabel}" to ${tokenLabel === undefined ? 'the token' : `token "${tokenLabel}"`} of ${pkcs11} (${rootOfTrust}), opening it with ${opening}.`;
      let moved: Awaited<ReturnType<typeof rewrapRootKey>>;
      try {
        moved = await rewrapRootKey(vault, { from, to: { pkcs11, tokenLabel, pin, rootOfTrust }, door: core.source });
      } finally {
        core.release();
      }
      const reopened = core.requireVault();
      reopened.unlock(pin);
      const facts = { VaultId: moved.VaultId, NewToken: `${moved.Token?.Label ?? ''} (${moved.Token?.Serial ?? ''})`, RootOfTrust: moved.RootOfTrust, OpenedWith: opening };
      return { status: core.statusOf(reopened), OldTokenObjects: moved.OldTokenObjects, ...(await transcriptOf(core, 'Rewrap', record, step, facts)) };
    },
    'replica:request': async ({ file }) => {
      const { ReplicationRequest } = kms('CreateReplicationRequest', {});
      await writeJsonFile(file, String(ReplicationRequest), false);
      return { File: file, ...replicationRequestOf(String(ReplicationRequest), file) };
    },
    'replica:export': async ({ keyId, requestFile, file, record }) => {
      checkRecord(record);
      const requestText = readCeremonyFile(requestFile).toString('utf8');
      const { Region, RequestId } = replicationRequestOf(requestText, requestFile);
      const { ReplicaBundle, ReplicaKeyMetadata } = kms('ReplicateKey', { KeyId: keyId, ReplicaRegion: Region, ReplicationRequest: requestText });
      await writeJsonFile(file, String(ReplicaBundle), false);
      const metadata = ReplicaKeyMetadata as { KeyId: string; Arn: string };
      const facts = { KeyId: metadata.KeyId, ReplicaArn: metadata.Arn, RequestId, Bundle: file };
      const step = replicaExportStep(keyId, Region, file);
      return { File: file, ReplicaKeyMetadata: metadata, ...(await transcriptOf(core, 'ReplicaExport', record, step, facts)) };
    },
    'replica:import': async ({ file, record }) => {
      checkRecord(record);
      const { ReplicaKeyMetadata } = kms('ImportReplicaKey', { ReplicaBundle: readCeremonyFile(file).toString('utf8') });
      const metadata = ReplicaKeyMetadata as { KeyId: string; MultiRegionConfiguration?: { PrimaryKey?: { Arn?: string } } };
      const facts = { KeyId: metadata.KeyId, PrimaryArn: metadata.MultiRegionConfiguration?.PrimaryKey?.Arn ?? '', Bundle: file };
      return { ReplicaKeyMetadata: metadata, ...(await transcriptOf(core, 'ReplicaImport', record, replicaImportStep(file), facts)) };
    },
    'byok:wrap': async ({ keyId, wrappingPublicKeyFile, wrappingAlgorithm, file, record }) => {
      checkRecord(record);
      const wrappingKey = wrappingPublicKeyOf(readCeremonyFile(wrappingPublicKeyFile), wrappingPublicKeyFile);
      const wrapped = kms('WrapKeyMaterial', { KeyId: keyId, WrappingPublicKey: wrappingKey.base64, WrappingAlgorithm: wrappingAlgorithm }) as { KeyId: string; KeyMaterialId: string; WrappingAlgorithm: string; EncryptedKeyMaterial: string };
      await writeAtomically(file, [Buffer.from(wrapped.EncryptedKeyMaterial, 'base64')], false);
      const facts = { KeyId: wrapped.KeyId, KeyMaterialId: wrapped.KeyMaterialId, WrappingAlgorithm: wrapped.WrappingAlgorithm, WrappingPublicKeySha256: wrappingKey.sha256 };
      const step = byokStep(keyId, wrappingAlgorithm, wrappingKey.sha256, file);
      return { File: file, KeyId: wrapped.KeyId, KeyMaterialId: wrapped.KeyMaterialId, WrappingAlgorithm: wrapped.WrappingAlgorithm, WrappingPublicKeySha256: wrappingKey.sha256, ...(await transcriptOf(core, 'ByokWrap', record, step, facts)) };
    },
  };
}
