import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ROOT_OF_TRUST_KINDS, type RootOfTrustKind } from '../../../src-shared/vault';
import { readBackupManifest } from '../../backup/backupFile';
import { createBackup } from '../../kms/lifecycle/backup';
import { restoreBackup, type RootSource } from '../../kms/lifecycle/restore';
import { rewrapRootKey } from '../../kms/lifecycle/rewrap';
import type { GlobalOptions } from '../globalOptions';
import { printJson, UsageError } from '../output';
import { readSecret } from '../prompt';
import { expandPath } from '../requestOptions';
import { readShares, shareOptions, type ShareFlags } from '../shareInput';
import { backupStep } from '../../transcripts/ceremonySteps';
import { CeremonyRecord, ceremonyOptions, transcriptAt, transcriptOf, type CeremonyFlags } from '../ceremonyRecord';
import { kmsOf } from '../kmsCalls';
import { withUnlockedVault, withVault } from '../withVault';

/** The token a vault moves to: --pkcs11, --token-label, --root-of-trust, and its PIN (--new-pin-file, STRONGROOM_NEW_PIN or a prompt). */
interface TargetFlags {
  pkcs11?: string;
  tokenLabel?: string;
  rootOfTrust: RootOfTrustKind;
  newPinFile?: string;
}

function targetOptions(command: Command, pkcs11Help: string): Command {
  return command
    .option('--pkcs11 <uri-or-path>', pkcs11Help)
    .option('--token-label <label>', 'label of the token to use, or of the embedded token to create (default "Strongroom")')
    .addOption(new Option('--root-of-trust <kind>', 'how the new token wraps the root key: aes (an AES key) or rsa (an RSA key pair)').choices(ROOT_OF_TRUST_KINDS).default('aes'))
    .option('--new-pin-file <file>', "the new token's PIN (the embedded token's passphrase), from a file; else STRONGROOM_NEW_PIN, else asked");
}

async function targetOf(flags: TargetFlags): Promise<{ pin: string; pkcs11?: string; tokenLabel?: string; rootOfTrust: RootOfTrustKind }> {
  const embedded = flags.pkcs11 === undefined;
  const pin = await readSecret({ file: flags.newPinFile, envVar: 'STRONGROOM_NEW_PIN' }, embedded ? 'Choose a passphrase for the new embedded token: ' : 'New token PIN: ', embedded);
  return { pin, rootOfTrust: flags.rootOfTrust, ...(flags.pkcs11 === undefined ? {} : { pkcs11: flags.pkcs11 }), ...(flags.tokenLabel === undefined ? {} : { tokenLabel: flags.tokenLabel }) };
}

/** Shares, if any were given; otherwise undefined (the old token is used). */
async function sharesGiven(flags: ShareFlags): Promise<RootSource | undefined> {
  if ((flags.share ?? []).length === 0 && (flags.words ?? []).length === 0) return undefined;
  return readShares(flags);
}

function printSecurityOfficerPin(result: { SecurityOfficerPin?: string }): void {
  if (result.SecurityOfficerPin === undefined) return;
  process.stderr.write('The new embedded token’s security-officer PIN above is shown once and stored nowhere. Write it down and keep it apart from the token.\n');
}

interface RestoreFlags extends TargetFlags, ShareFlags, CeremonyFlags {
  oldHome?: string;
  oldPkcs11?: string;
  oldPinFile?: string;
  force?: boolean;
}

/** `strongroom backup`: the whole vault in one encrypted file, and back (docs/ceremonies.md). */
export function backupCommand(globals: () => GlobalOptions): Command {
  const backup = new Command('backup').description('Backs up the whole vault to one file encrypted under its root key, shows what a backup holds, and restores one into a home on a new token.');
  ceremonyOptions(backup.command('create'))
    .description('Writes the whole vault (keys with every version, aliases, tags, policies, grants, users, contacts, identities, the recovery split, the audit log and its checkpoints) to FILE, encrypted under the root key, with a manifest anyone can read. Needs the vault unlocked (its PIN).')
    .requiredOption('-o, --output <file>', 'the backup file to write')
    .option('--force', 'replace FILE if it exists')
    .action(async (flags: { output: string; force?: boolean } & CeremonyFlags) => {
      const out = resolve(expandPath(flags.output));
      const record = new CeremonyRecord('Backup', flags);
      await record.step(backupStep(out));
      const result = await withUnlockedVault(globals(), async (vault) => {
        const made = await createBackup(vault, out, flags.force === true);
        record.fact('File', out);
        record.fact('BackupDate', made.Manifest.BackupDate);
        record.fact('Keys', String(made.Manifest.Counts.Keys ?? 0));
        record.fact('AuditRecords', String(made.Manifest.Counts.AuditRecords ?? 0));
        return { ...made, ...(await transcriptOf(record, kmsOf(vault, 'SignCeremonyTranscript'))) };
      });
      printJson(result);
    });
  backup
    .command('inspect')
    .description('Shows the manifest of a backup without any key: the vault, when it was made, what it holds, its token and recovery split. The manifest is authenticated only when the backup is restored.')
    .argument('<file>', 'a backup file')
    .action(async (file: string) => {
      printJson(await readBackupManifest(expandPath(file)));
    });
  targetOptions(
    shareOptions(
      ceremonyOptions(backup.command('restore'))
        .description('Restores a backup into the home (--home) on a new token: the embedded one, made there, or --pkcs11. The backup opens with the token it was sealed on (its PIN from --old-pin-file, STRONGROOM_OLD_PIN or a prompt; an embedded token by --old-home) or with M recovery shares (--share, --words). A vault already in the home is replaced only with --force, and kept beside it as HOME.replaced-DATE.'),
    ),
    'the PKCS#11 module path or RFC 7512 URI of the new token; default: a new embedded SoftHSM2 token in the home',
  )
    .argument('<file>', 'the backup file')
    .option('--old-home <dir>', 'the home of the embedded token the backup was sealed on')
    .option('--old-pkcs11 <uri-or-path>', 'where the token the backup was sealed on is now, if not where the backup says')
    .option('--old-pin-file <file>', 'the PIN (passphrase) of the token the backup was sealed on, from a file')
    .option('--force', 'replace a vault already in the home (it is moved aside, not deleted)')
    .action(async (file: string, flags: RestoreFlags) => {
      const { home } = globals();
      const path = resolve(expandPath(file));
      const record = new CeremonyRecord('Restore', flags);
      const manifest = await readBackupManifest(path);
      await record.step(`Restore vault ${manifest.VaultId} as backed up on ${manifest.BackupDate} (${path}) into ${home}${flags.force === true ? ', replacing the vault there (kept beside it)' : ''}.`);
      let from = await sharesGiven(flags);
      if (from === undefined) {
        const pin = await readSecret({ file: flags.oldPinFile, envVar: 'STRONGROOM_OLD_PIN' }, 'PIN (passphrase) of the token the backup was sealed on: ');
        from = { token: { pin, home: flags.oldHome === undefined ? undefined : resolve(expandPath(flags.oldHome)), pkcs11: flags.oldPkcs11 } };
      }
      const to = await targetOf(flags);
      await record.step('token' in from ? `Open the backup with the token it was sealed on ("${manifest.Token.Label}").` : `Open the backup with the shares of ${from.custodians.join(', ')} (split ${manifest.RecoverySplit?.SplitId ?? ''}).`);
      await record.step(`Seal the root key onto ${to.pkcs11 === undefined ? 'a new embedded token' : to.pkcs11} (${to.rootOfTrust}) and put the vault in place.`);
      const result = await restoreBackup({ file: path, home, replace: flags.force === true, from, to, door: 'cli' });
      record.fact('VaultId', result.VaultId);
      record.fact('BackupDate', manifest.BackupDate);
      record.fact('UnlockedWith', 'token' in from ? 'token' : `shares of ${from.custodians.join(', ')}`);
      const transcript = await transcriptAt(record, home, to.pin);
      printJson({ ...result, ...transcript });
      printSecurityOfficerPin(result);
    });
  return backup;
}

/** `strongroom rewrap`: the root key moved to another token. */
export function rewrapCommand(globals: () => GlobalOptions): Command {
  return targetOptions(
    shareOptions(
      ceremonyOptions(new Command('rewrap')).description(
        "Moves the vault's root key from its token to another (--pkcs11), changing how it is wrapped if asked (--root-of-trust). The current token unlocks it (its PIN from --pin-file, STRONGROOM_PIN or a prompt); if that token is gone, M recovery shares do (--share, --words). Afterwards the old token's keys of this vault can be destroyed.",
      ),
    ),
    'the PKCS#11 module path or RFC 7512 URI of the new token',
  ).action(async (flags: TargetFlags & ShareFlags & CeremonyFlags) => {
    const target = flags.pkcs11;
    if (target === undefined) throw new UsageError('rewrap needs --pkcs11: the token the root key moves to');
    const given = globals();
    const record = new CeremonyRecord('Rewrap', flags);
    const shares = await sharesGiven(flags);
    const to = await targetOf(flags);
    const result = await withVault(given.home, async (vault) => {
      const opening = shares !== undefined && 'custodians' in shares ? `with the shares of ${shares.custodians.join(', ')}` : 'with the current token';
      await record.step(`Move the root key of vault ${vault.record.vaultId} from token "${vault.record.tokenLabel}" to ${target} (${to.rootOfTrust}), opening it ${opening}.`);
      const from = shares ?? { token: { pin: await readSecret({ file: given.pinFile, envVar: 'STRONGROOM_PIN' }, vault.record.tokenKind === 'embedded' ? 'Passphrase: ' : 'Token PIN: ') } };
      return rewrapRootKey(vault, { from, to, door: 'cli' });
    });
    record.fact('VaultId', result.VaultId);
    record.fact('NewToken', `${result.Token?.Label ?? ''} (${result.Token?.Serial ?? ''})`);
    record.fact('RootOfTrust', result.RootOfTrust);
    const transcript = await transcriptAt(record, given.home, to.pin);
    printJson({ ...result, ...transcript });
    printSecurityOfficerPin(result);
  });
}
