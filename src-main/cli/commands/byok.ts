import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { writeAtomically } from '../../envelope/atomicFile';
import { readCeremonyFile, wrappingPublicKeyOf } from '../../files/ceremonyFiles';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson } from '../output';
import { expandPath } from '../requestOptions';
import { BYOK_WRAPPING_ALGORITHMS } from '../../../src-shared/ceremonies/operations';
import { byokStep } from '../../transcripts/ceremonySteps';
import { CeremonyRecord, ceremonyOptions, transcriptOf, type CeremonyFlags } from '../ceremonyRecord';


interface WrapFlags extends CeremonyFlags {
  keyId: string;
  wrappingPublicKey: string;
  wrappingAlgorithm: (typeof BYOK_WRAPPING_ALGORITHMS)[number];
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
    .addOption(new Option('--wrapping-algorithm <alg>', 'the WrappingAlgorithm given to GetParametersForImport').choices(BYOK_WRAPPING_ALGORITHMS).makeOptionMandatory())
    .requiredOption('-o, --output <file>', 'where the EncryptedKeyMaterial goes (binary)')
    .option('--force', 'replace the output file if it exists')
    .action(async (flags: WrapFlags) => {
      const wrappingKey = wrappingPublicKeyOf(readCeremonyFile(expandPath(flags.wrappingPublicKey)), flags.wrappingPublicKey);
      const request = { KeyId: flags.keyId, WrappingPublicKey: wrappingKey.base64, WrappingAlgorithm: flags.wrappingAlgorithm };
      const record = new CeremonyRecord('ByokWrap', flags);
      await record.step(byokStep(flags.keyId, flags.wrappingAlgorithm, wrappingKey.sha256, flags.output));
      const said = await withKms(globals(), 'WrapKeyMaterial', async (kms) => {
        const wrapped = await kms('WrapKeyMaterial', request);
        await writeAtomically(resolve(expandPath(flags.output)), [Buffer.from(String(wrapped.EncryptedKeyMaterial), 'base64')], flags.force === true);
        for (const name of ['KeyId', 'KeyMaterialId', 'WrappingAlgorithm'] as const) record.fact(name, String(wrapped[name]));
        record.fact('WrappingPublicKeySha256', wrappingKey.sha256);
        return { KeyId: wrapped.KeyId, KeyMaterialId: wrapped.KeyMaterialId, WrappingAlgorithm: wrapped.WrappingAlgorithm, File: flags.output, ...(await transcriptOf(record, kms)) };
      });
      printJson(said);
    });
  return byok;
}
