import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { writeAtomically } from '../../envelope/atomicFile';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson, UsageError } from '../output';
import { expandPath } from '../requestOptions';
import { CeremonyRecord, ceremonyOptions, transcriptOf, type CeremonyFlags } from '../ceremonyRecord';

const WRAPPING_ALGORITHMS = ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1'] as const;

/** A wrapping public key file as the other KMS's GetParametersForImport gives it (DER, as `base64 -d` of its PublicKey makes it), or its base64, or PEM: the DER, base64. */
function wrappingPublicKey(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(expandPath(path));
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  const text = bytes.toString('latin1').trim();
  try {
    if (text.startsWith('-----BEGIN')) return createPublicKey(text).export({ type: 'spki', format: 'der' }).toString('base64');
    if (bytes[0] === 0x30) return bytes.toString('base64');
    return Buffer.from(text, 'base64').toString('base64');
  } catch {
    throw new UsageError(`${path} holds no public key that can be read (DER, base64 or PEM)`);
  }
}

interface WrapFlags extends CeremonyFlags {
  keyId: string;
  wrappingPublicKey: string;
  wrappingAlgorithm: (typeof WRAPPING_ALGORITHMS)[number];
  output: string;
  force?: boolean;
}

/** `strongroom byok`: key material made offline, wrapped for a cloud KMS (docs/ceremonies.md). */
export function byokCommand(globals: () => GlobalOptions): Command {
  const byok = new Command('byok').description('Brings your own key to a cloud KMS: the material of a key created here with --exportable, wrapped for that KMS’s ImportKeyMaterial.');
  ceremonyOptions(byok.command('wrap'))
    .description('Wraps the current material of an exportable key (kms create-key --exportable) under the wrapping public key that the other KMS’s GetParametersForImport gave (a file copied in), and writes the EncryptedKeyMaterial to give its ImportKeyMaterial (with the import token it gave), as binary (fileb://).')
    .requiredOption('--key-id <key>', 'the exportable key: its id, ARN or alias')
    .requiredOption('--wrapping-public-key <file>', 'the PublicKey of GetParametersForImport: DER (base64-decoded), base64 or PEM')
    .addOption(new Option('--wrapping-algorithm <alg>', 'the WrappingAlgorithm given to GetParametersForImport').choices(WRAPPING_ALGORITHMS).makeOptionMandatory())
    .requiredOption('-o, --output <file>', 'where the EncryptedKeyMaterial goes (binary)')
    .option('--force', 'replace the output file if it exists')
    .action(async (flags: WrapFlags) => {
      const request = { KeyId: flags.keyId, WrappingPublicKey: wrappingPublicKey(flags.wrappingPublicKey), WrappingAlgorithm: flags.wrappingAlgorithm };
      const keyDigest = createHash('sha256').update(Buffer.from(request.WrappingPublicKey, 'base64')).digest('hex');
      const record = new CeremonyRecord('ByokWrap', flags);
      await record.step(`Wrap the key material of ${flags.keyId} with ${flags.wrappingAlgorithm} under the wrapping public key whose SHA-256 is ${keyDigest}, to ${flags.output}.`);
      const said = await withKms(globals(), 'WrapKeyMaterial', async (kms) => {
        const wrapped = await kms('WrapKeyMaterial', request);
        await writeAtomically(resolve(expandPath(flags.output)), [Buffer.from(String(wrapped.EncryptedKeyMaterial), 'base64')], flags.force === true);
        for (const name of ['KeyId', 'KeyMaterialId', 'WrappingAlgorithm'] as const) record.fact(name, String(wrapped[name]));
        record.fact('WrappingPublicKeySha256', keyDigest);
        return { KeyId: wrapped.KeyId, KeyMaterialId: wrapped.KeyMaterialId, WrappingAlgorithm: wrapped.WrappingAlgorithm, File: flags.output, ...(await transcriptOf(record, kms)) };
      });
      printJson(said);
    });
  return byok;
}
