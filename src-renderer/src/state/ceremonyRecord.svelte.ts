import { isoNow } from '../lib/format';
import type { ChannelRequest } from '../../../src-shared/ipc/channels';

type Participant = { id: number; name: string; role: string };
type Confirmed = { At: string; Step: string };

/**
 * The steps of each ceremony that its participants confirm on the screen, in
 * order, before the ceremony's own step (whose button is the last
 * confirmation); each goes into the transcript with when it was confirmed.
 */
export const CEREMONY_STEPS = {
  Init: ['This machine is offline, and only those named here are in the room.', 'The token chosen is the one meant to hold this vault’s root of trust.'],
  RecoverySplit: [
    'Every custodian is present, identified, and has typed their own passphrase unseen.',
    'The folder for the shares is on media that each custodian’s file will leave on; no other copy will be kept.',
  ],
  Backup: ['The backup file goes to removable media that will be kept apart from the token.'],
  Restore: [
    'The backup read above is the vault to restore: its id and date are the ones expected.',
    'Each custodian whose share is given has typed their own passphrase unseen.',
  ],
  RestoreWithToken: [
    'The backup read above is the vault to restore: its id and date are the ones expected.',
    'The token the backup was sealed on is connected, and its PIN was typed by its holder unseen.',
  ],
  Rewrap: [
    'The new token is connected, and its PIN is known only to those who should know it.',
    'The vault has a current recovery split or backup, should the new token fail.',
  ],
  ReplicaExport: ['The request file came by hand from the replica’s vault, and names the Region expected.'],
  ReplicaImport: ['The bundle came by hand from the primary’s vault, made for this vault’s request.'],
  ByokWrap: [
    'The wrapping public key came from the cloud KMS’s GetParametersForImport, for the key that will receive this material.',
    'The wrapped file goes only to that KMS’s ImportKeyMaterial, with its import token.',
  ],
} as const;

/** Who takes part in a ceremony and where its signed transcript goes; no transcript is written while the file is left empty. */
export class CeremonyRecordForm {
  participants = $state<Participant[]>([]);
  transcript = $state('');
  /** The steps confirmed so far on the review, with when. */
  confirmed = $state<Confirmed[]>([]);
  private next = 0;

  constructor() {
    this.add('officer');
    this.add('witness');
  }

  add(role = 'witness'): void {
    this.participants.push({ id: (this.next += 1), name: '', role });
  }

  remove(id: number): void {
    this.participants = this.participants.filter((p) => p.id !== id);
  }

  private readonly named = $derived(this.participants.filter((p) => p.name.trim() !== ''));

  /** What keeps the transcript from being written, in words. */
  readonly problem = $derived(this.transcript.trim() !== '' && this.named.length === 0 ? 'Name who takes part: the transcript says who did this.' : undefined);

  /** Confirms the next step of the review, now. */
  confirm(step: string): void {
    this.confirmed.push({ At: isoNow(), Step: step });
  }

  /** Forgets the confirmations: the review starts again. */
  restart(): void {
    this.confirmed = [];
  }

  /** `request` with this record added when a transcript is asked for. */
  attachTo<T extends object>(request: T): T & { record?: NonNullable<ChannelRequest<'backup:create'>['record']> } {
    const record = this.request();
    return record === undefined ? request : { ...request, record };
  }

  /** The record the core is sent, or undefined when no transcript is asked for. */
  request(): ChannelRequest<'backup:create'>['record'] {
    if (this.transcript.trim() === '') return undefined;
    const steps = this.confirmed.length === 0 ? {} : { steps: [...this.confirmed] };
    return { participants: this.named.map((p) => ({ Name: p.name.trim(), Role: p.role.trim() || 'participant' })), transcript: this.transcript.trim(), ...steps };
  }
}

