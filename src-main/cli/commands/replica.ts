import { Command } from 'commander';
import { replicationRequestOf, writeJsonFile } from '../../files/ceremonyFiles';
import { readTextFile } from '../fileIo';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson } from '../output';
import { expandPath, fileText } from '../requestOptions';
import { withIsoTimestamps } from '../timestamps';
import { replicaExportStep, replicaImportStep } from '../../transcripts/ceremonySteps';
import { CeremonyRecord, ceremonyOptions, transcriptOf, type CeremonyFlags } from '../ceremonyRecord';

interface ExportFlags extends CeremonyFlags {
  keyId: string;
  request: string;
  output: string;
  description?: string;
  policy?: string;
  force?: boolean;
}

/** `strongroom replica`: the file steps of replicating a multi-Region key to another vault (docs/ceremonies.md). */
export function replicaCommand(globals: () => GlobalOptions): Command {
  const replica = new Command('replica').description('Replicates a multi-Region key (kms create-key --multi-region) to another vault through files: the replica’s vault writes a request, the primary’s vault answers with a bundle, the replica’s vault imports it.');
  replica
    .command('request')
    .description("In the replica's vault: writes a replication request (this vault's Region and account, and a public key good for 24 hours) for the primary's vault.")
    .requiredOption('-o, --output <file>', 'the request file to write')
    .option('--force', 'replace the file if it exists')
    .action(async (flags: { output: string; force?: boolean }) => {
      const { ReplicationRequest } = await withKms(globals(), 'CreateReplicationRequest', (kms) => kms('CreateReplicationRequest', {}));
      await writeJsonFile(expandPath(flags.output), String(ReplicationRequest), flags.force === true);
      printJson({ File: flags.output, ...(JSON.parse(String(ReplicationRequest)) as Record<string, unknown>) });
    });
  ceremonyOptions(replica.command('export'))
    .description("In the primary's vault: answers a replication request with a bundle (ReplicateKey): the key's material wrapped to the request's public key, its metadata, policy and tags. The primary then lists the replica's Region.")
    .requiredOption('--key-id <key>', 'the multi-Region primary key')
    .requiredOption('--request <file>', 'the request the replica’s vault wrote')
    .requiredOption('-o, --output <file>', 'the bundle file to write')
    .option('--description <text>', "the replica's description (default: the primary's)")
    .option('--policy <policy>', "the replica's key policy, or file://PATH (default: the replica vault's default policy)")
    .option('--force', 'replace the bundle file if it exists')
    .action(async (flags: ExportFlags) => {
      const requestText = readTextFile(flags.request);
      const { Region, RequestId } = replicationRequestOf(requestText, flags.request);
      const request = {
        KeyId: flags.keyId,
        ReplicaRegion: Region,
        ReplicationRequest: requestText,
        ...(flags.description === undefined ? {} : { Description: flags.description }),
        ...(flags.policy === undefined ? {} : { Policy: fileText(flags.policy) }),
      };
      const record = new CeremonyRecord('ReplicaExport', flags);
      await record.step(replicaExportStep(flags.keyId, Region, flags.output));
      const answer = await withKms(globals(), 'ReplicateKey', async (kms) => {
        const { ReplicaBundle, ...replicated } = await kms('ReplicateKey', request);
        await writeJsonFile(expandPath(flags.output), String(ReplicaBundle), flags.force === true);
        const metadata = replicated.ReplicaKeyMetadata as { KeyId: string; Arn: string };
        record.fact('KeyId', metadata.KeyId);
        record.fact('ReplicaArn', metadata.Arn);
        record.fact('RequestId', RequestId);
        record.fact('Bundle', flags.output);
        return { ...replicated, ...(await transcriptOf(record, kms)) };
      });
      printJson(withIsoTimestamps({ ...answer, File: flags.output }));
    });
  ceremonyOptions(replica.command('import'))
    .description("In the replica's vault: opens a bundle made for one of its requests as a replica key, with the primary's key id and material (or, for a replica it has, adds the versions it lacks).")
    .argument('<bundle>', 'the bundle file')
    .action(async (path: string, flags: CeremonyFlags) => {
      const bundle = readTextFile(path);
      const record = new CeremonyRecord('ReplicaImport', flags);
      await record.step(replicaImportStep(path));
      const imported = await withKms(globals(), 'ImportReplicaKey', async (kms) => {
        const answer = await kms('ImportReplicaKey', { ReplicaBundle: bundle });
        const metadata = answer.ReplicaKeyMetadata as { KeyId: string; MultiRegionConfiguration?: { PrimaryKey?: { Arn?: string } } };
        record.fact('KeyId', metadata.KeyId);
        record.fact('PrimaryArn', metadata.MultiRegionConfiguration?.PrimaryKey?.Arn ?? '');
        record.fact('Bundle', path);
        return { ...answer, ...(await transcriptOf(record, kms)) };
      });
      printJson(withIsoTimestamps(imported));
    });
  return replica;
}
