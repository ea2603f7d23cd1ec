import { Command } from 'commander';
import { keyFileText } from '../../files/keyFiles';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson } from '../output';
import { readStdin } from '../prompt';
import { expandPath } from '../requestOptions';
import { withIsoTimestamps } from '../timestamps';

/** The public key a person gave: "-" for standard input, a file's text, or the text itself (an age recipient, a JWK, PEM). */
async function publicKeyText(given: string): Promise<string> {
  return given === '-' ? readStdin() : (keyFileText(expandPath(given)) ?? given);
}

/** `strongroom contact`: the people files are encrypted for (docs/file-format.md#contacts). */
export function contactCommand(globals: () => GlobalOptions): Command {
  const contact = new Command('contact').description('The people you encrypt files for: public keys kept in the vault under a name, each with a fingerprint to compare with them.');
  contact
    .command('add')
    .description('Keeps KEY under NAME: an age recipient (age1…), or a file or text holding an RSA or EC public key or certificate (PEM, DER or JWK); "-" reads it from standard input. Compare the fingerprint it prints with the person.')
    .argument('<name>', 'what to call them (use it as a --recipient of file encrypt)')
    .argument('<key>', 'an age recipient, a public key or certificate file, or - for standard input')
    .option('--description <text>', 'a note about who this is')
    .action(async (name: string, key: string, flags: { description?: string }) => {
      const request = { Name: name, PublicKey: await publicKeyText(key), ...(flags.description === undefined ? {} : { Description: flags.description }) };
      printJson(withIsoTimestamps(await withKms(globals(), 'CreateContact', (kms) => kms('CreateContact', request))));
    });
  contact
    .command('list')
    .description('Lists the contacts with their kinds and fingerprints.')
    .action(async () => {
      printJson(withIsoTimestamps(await withKms(globals(), 'ListContacts', (kms) => kms('ListContacts', {}))));
    });
  contact
    .command('remove')
    .description('Forgets a contact; files already encrypted for them still open for them.')
    .argument('<name>', 'the contact')
    .action(async (name: string) => {
      await withKms(globals(), 'DeleteContact', (kms) => kms('DeleteContact', { Name: name }));
    });
  return contact;
}
