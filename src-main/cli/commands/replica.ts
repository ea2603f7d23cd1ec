import { resolve } from 'node:path';
import { Command } from 'commander';
import { writeAtomically } from '../../envelope/atomicFile';
import { readTextFile } from '../fileIo';
import type { GlobalOptions } from '../globalOptions';
import { withKms } from '../kmsCalls';
import { printJson, UsageError } from '../output';
import { expandPath, fileText } from '../requestOptions';
import { withIsoTimestamps } from '../timestamps';

async function writeJson(path: string, text: string, force: boolean): Promise<void> {
  await writeAtomically(resolve(expandPath(path)), [Buffer.from(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, 'utf8')], force);
}

/** The Region a replication request file names. */
function regionOf(text: string, path: string): string {
  try {
    const { Region } = JSON.parse(text) as { Region?: unknown };
    if (typeof Region === 'string') return Region;
  } catch {
    // said below
  }
  throw new UsageError(`${path} is not a replication request (strongroom replica request writes one)`);
}

interface ExportFlags {
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
      await writeJson(flags.output, String(ReplicationRequest), flags.force === true);
      printJson({ File: flags.output, ...(JSON.parse(String(ReplicationRequest)) as Record<string, unknown>) });
    });
  replica
    .command('export')
    .description("In the primary's vault: answers a replication request with a bundle (ReplicateKey): the key's material wrapped to the request's public key, its metadata, policy and tags. The primary then lists the replica's Region.")
    .requiredOption('--key-id <key>', 'the multi-Region primary key')
    .requiredOption('--request <file>', 'the request the replica’s vault wrote')
    .requiredOption('-o, --output <file>', 'the bundle file to write')
    .option('--description <text>', "the replica's description (default: the primary's)")
    .option('--policy <policy>', "the replica's key policy, or file://PATH (default: the replica vault's default policy)")
    .option('--force', 'replace the bundle file if it exists')
    .action(async (flags: ExportFlags) => {
      const requestText = readTextFile(flags.request);
      const request = {
        KeyId: flags.keyId,
        ReplicaRegion: regionOf(requestText, flags.request),
        ReplicationRequest: requestText,
        ...(flags.description === undefined ? {} : { Description: flags.description }),
        ...(flags.policy === undefined ? {} : { Policy: fileText(flags.policy) }),
      };
      const { ReplicaBundle, ...answer } = await withKms(globals(), 'ReplicateKey', (kms) => kms('ReplicateKey', request));
      await writeJson(flags.output, String(ReplicaBundle), flags.force === true);
      printJson(withIsoTimestamps({ ...answer, File: flags.output }));
    });
  replica
    .command('import')
    .description("In the replica's vault: opens a bundle made for one of its requests as a replica key, with the primary's key id and material (or, for a replica it has, adds the versions it lacks).")
    .argument('<bundle>', 'the bundle file')
    .action(async (path: string) => {
      const bundle = readTextFile(path);
      printJson(withIsoTimestamps(await withKms(globals(), 'ImportReplicaKey', (kms) => kms('ImportReplicaKey', { ReplicaBundle: bundle }))));
    });
  return replica;
}
