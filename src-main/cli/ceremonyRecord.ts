import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import type { CEREMONIES } from '../../src-shared/ceremonies/operations';
import type { SignedTranscript } from '../transcripts/transcriptPage';
import { assertTranscriptWritable, writeTranscript } from '../transcripts/writeTranscript';
import { kmsOf, type Kms } from './kmsCalls';
import { withVault } from './withVault';
import { UsageError } from './output';
import { collect, expandPath } from './requestOptions';

/** The flags every ceremony command takes. */
export interface CeremonyFlags {
  participant?: string[];
  transcript?: string;
  yes?: boolean;
}

/** Adds --participant, --transcript and --yes to a ceremony's command. */
export function ceremonyOptions(command: Command): Command {
  return command
    .addOption(new Option('--participant <name:role>', 'who takes part, and as what (officer, witness, custodian…): named in the transcript (repeat)').argParser(collect))
    .option('--transcript <base>', 'write the signed transcript to BASE.json, BASE.html and BASE.pdf (to print and sign), BASE.txt and BASE.sig (for openssl)')
    .option('--yes', 'go ahead with each step without asking (asked in a terminal otherwise)');
}

/**
 * A ceremony as it runs: each step confirmed before it is done (in a
 * terminal, unless --yes), and recorded with its time; the facts that the
 * transcript states (ids, files, never a share or a secret); at the end,
 * with --transcript, the transcript signed by the vault's audit key and
 * written out.
 */
export class CeremonyRecord {
  private readonly steps: { At: string; Step: string }[] = [];
  private readonly facts: Record<string, string> = {};
  private readonly participants: { Name: string; Role: string }[];

  constructor(
    private readonly ceremony: (typeof CEREMONIES)[number],
    private readonly flags: CeremonyFlags,
  ) {
    this.participants = (flags.participant ?? []).map((given) => {
      const at = given.lastIndexOf(':');
      return at > 0 ? { Name: given.slice(0, at).trim(), Role: given.slice(at + 1).trim() } : { Name: given.trim(), Role: 'participant' };
    });
    if (flags.transcript !== undefined && this.participants.length === 0) throw new UsageError('a transcript names who took part: give --participant NAME:ROLE (repeat)');
    if (flags.transcript !== undefined) assertTranscriptWritable(resolve(expandPath(flags.transcript)));
  }

  /** Asks to go ahead with `what` (in a terminal, unless --yes), then records it. */
  async step(what: string): Promise<void> {
    if (this.flags.yes !== true && process.stdin.isTTY && process.stderr.isTTY) {
      const asking = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await asking.question(`${what}\nGo ahead? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError(`stopped before: ${what}`);
      } finally {
        asking.close();
      }
    }
    this.steps.push({ At: new Date().toISOString(), Step: what });
  }

  /** True when --transcript asks for one. */
  get wanted(): boolean {
    return this.flags.transcript !== undefined;
  }

  fact(name: string, value: string): void {
    this.facts[name] = value;
  }

  /** With --transcript: signs the transcript in the vault `kms` reaches and writes its files; returns their names. */
  async finish(kms: Kms): Promise<string[] | undefined> {
    if (this.flags.transcript === undefined) return undefined;
    const signed = (await kms('SignCeremonyTranscript', { Ceremony: this.ceremony, Participants: this.participants, Steps: this.steps, Facts: this.facts })) as unknown as SignedTranscript;
    return writeTranscript(resolve(expandPath(this.flags.transcript)), signed);
  }
}

/** With --transcript, the transcript signed in the vault `kms` reaches, and its files, as the command's output names them. */
export async function transcriptOf(record: CeremonyRecord, kms: Kms): Promise<{ Transcript?: string[] }> {
  const files = await record.finish(kms);
  return files === undefined ? {} : { Transcript: files };
}

/** With --transcript, the transcript signed in the vault at `home`, opened and unlocked with `pin` for it: after a ceremony that made the vault or moved it to a new token, whose audit key signs. */
export async function transcriptAt(record: CeremonyRecord, home: string, pin: string): Promise<{ Transcript?: string[] }> {
  if (!record.wanted) return {};
  return withVault(home, (vault) => {
    vault.unlock(pin);
    return transcriptOf(record, kmsOf(vault, 'SignCeremonyTranscript'));
  });
}
