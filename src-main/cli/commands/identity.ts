import { createPublicKey } from 'node:crypto';
import { Command } from 'commander';
import { vaultPublicKeys } from '../../envelope/recipients';
import { readTextFile } from '../fileIo';
import type { GlobalOptions } from '../globalOptions';
import { importPrivateKey } from '../importPrivateKey';
import { withKms } from '../kmsCalls';
import { printJson, UsageError } from '../output';
import { readStdin } from '../prompt';
import { withIsoTimestamps } from '../timestamps';

/** A name for an identity made or imported without one: age-YYYYMMDD-HHMMSS. */
function defaultName(): string {
  return `age-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** The text of FILE ("-": standard input). */
async function secretText(file: string): Promise<string> {
  return file === '-' ? readStdin() : Promise.resolve(readTextFile(file));
}

interface NamedFlags {
  name?: string;
  description?: string;
}

/** `strongroom identity`: the keys that open files sent to you (docs/file-format.md#identities). */
export function identityCommand(globals: () => GlobalOptions): Command {
  const identity = new Command('identity').description('The keys that open files sent to you: age identities and KMS keys (RSA to decrypt, EC for key agreement), kept in the vault under its root of trust. file decrypt tries them all.');
  identity
    .command('new')
    .description('Makes a new age identity in the vault and prints its recipient (age1…), which people encrypt for. Its secret never leaves the vault.')
    .requiredOption('--age', 'an age identity (the only kind made here; make KMS keys with kms create-key)')
    .option('--pq', 'post-quantum: ML-KEM-768 + X25519 (recipient age1pq1…), which age 1.3 and later open; X25519 otherwise')
    .option('--name <name>', 'what to call it (default age-DATE-TIME)')
    .option('--description <text>', 'a note about what it is for')
    .action(async (flags: NamedFlags & { pq?: boolean }) => {
      const request = { Name: flags.name ?? defaultName(), Kind: flags.pq === true ? 'MLKEM768X25519' : 'X25519', ...(flags.description === undefined ? {} : { Description: flags.description }) };
      printJson(withIsoTimestamps(await withKms(globals(), 'CreateAgeIdentity', (kms) => kms('CreateAgeIdentity', request))));
    });
  identity
    .command('import')
    .description('Keeps the identities of FILE in the vault: the age identities of an identity file (as age-keygen writes it), or a PEM private key (RSA or EC), imported as a KMS key with origin EXTERNAL. Delete FILE afterwards: the vault keeps its own copy.')
    .argument('<file>', 'an age identity file or a PEM private key, or - for standard input')
    .option('--name <name>', 'what to call it: the age identity’s name (NAME-2, NAME-3… for more in the file), or the key’s alias (alias/NAME)')
    .option('--description <text>', 'a note about what it is for')
    .action(async (file: string, flags: NamedFlags) => {
      const text = await secretText(file);
      const description = flags.description === undefined ? {} : { Description: flags.description };
      if (text.includes('PRIVATE KEY-----')) {
        printJson(withIsoTimestamps({ KeyMetadata: await withKms(globals(), 'CreateKey', (kms) => importPrivateKey(kms, text, flags.name, flags.description)) }));
        return;
      }
      const identities = text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('AGE-SECRET-KEY-'));
      if (identities.length === 0) throw new UsageError(`${file} holds no age identity (AGE-SECRET-KEY-…) and no PEM private key`);
      const base = flags.name ?? defaultName();
      const created = await withKms(globals(), 'CreateAgeIdentity', async (kms) => {
        const made: unknown[] = [];
        for (const [i, secret] of identities.entries()) made.push((await kms('CreateAgeIdentity', { Name: i === 0 ? base : `${base}-${String(i + 1)}`, Identity: secret, ...description })).AgeIdentity);
        return made;
      });
      printJson(withIsoTimestamps({ AgeIdentities: created }));
    });
  identity
    .command('list')
    .description('Lists the identities that open files: the age identities with their recipients, and the enabled KMS keys that decrypt (RSA) or agree keys (EC) with their public keys.')
    .action(async () => {
      const listed = await withKms(globals(), 'ListAgeIdentities', async (kms) => {
        const { AgeIdentities } = await kms('ListAgeIdentities', {});
        const keys = (await vaultPublicKeys(kms)()).filter((key) => key.keyUsage === 'ENCRYPT_DECRYPT' || key.keyUsage === 'KEY_AGREEMENT');
        const Keys = keys.map((key) => ({ KeyArn: key.arn, KeySpec: key.keySpec, KeyUsage: key.keyUsage, PublicKey: createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString() }));
        return { AgeIdentities, Keys };
      });
      printJson(withIsoTimestamps(listed));
    });
  identity
    .command('remove')
    .description('Forgets an age identity at once: files made for it no longer open here. (KMS keys are deleted with kms schedule-key-deletion.)')
    .argument('<name>', 'the age identity')
    .action(async (name: string) => {
      await withKms(globals(), 'DeleteAgeIdentity', (kms) => kms('DeleteAgeIdentity', { Name: name }));
    });
  return identity;
}
