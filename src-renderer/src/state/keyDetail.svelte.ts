import { kms, type KmsInput, type KmsOutput } from '../lib/api';
import { Form } from './form.svelte';
import { KeyAudit } from './keyAudit.svelte';
import { tasks } from './tasks.svelte';

type Metadata = NonNullable<KmsOutput<'DescribeKey'>['KeyMetadata']>;
/** A key's metadata, as DescribeKey gives it. */
export type KeyMetadata = Metadata;
type Tag = { TagKey: string; TagValue: string };
/** Operations that act on one key and take its KeyId. */
type KeyOperation =
  | 'UpdateKeyDescription'
  | 'EnableKey'
  | 'DisableKey'
  | 'ScheduleKeyDeletion'
  | 'CancelKeyDeletion'
  | 'EnableKeyRotation'
  | 'DisableKeyRotation'
  | 'RotateKeyOnDemand'
  | 'TagResource'
  | 'UntagResource'
  | 'ImportKeyMaterial'
  | 'DeleteImportedKeyMaterial';

/** The key's editors that open in place (one at a time); Escape closes them. */
export type KeyEditor = 'description' | 'alias' | 'tag';

/** What the key's editors hold, and which of them is open. */
export interface KeyEdits {
  editor: KeyEditor | undefined;
  description: string;
  alias: string;
  tagKey: string;
  tagValue: string;
  windowDays: number;
  period: number;
}

const ALIAS_RULE = 'An alias is alias/ and then letters, digits, /, _ or -, up to 256 characters; alias/aws/ and alias/strongroom/ are reserved.';
const RULES = {
  description: { members: ['Description'], invalid: 'A description has at most 8,192 characters.' },
  alias: { members: ['AliasName'], invalid: ALIAS_RULE, errors: { AlreadyExistsException: 'Another key already has this alias: choose another name.' } },
  tagKey: { members: ['TagKey'], invalid: 'A tag key has 1 to 128 characters and cannot start with aws:.', errors: { TagException: 'This tag is not allowed.' } },
  tagValue: { members: ['TagValue'], invalid: 'A tag value has at most 256 characters.' },
  windowDays: { members: ['PendingWindowInDays'], invalid: 'The waiting period is 7 to 30 days.' },
  period: { members: ['RotationPeriodInDays'], invalid: 'The rotation period is 90 to 2560 days.' },
};

/** Whether a key's material rotates: symmetric encryption keys whose material the vault made (as AWS KMS rotates only those). */
export function rotatesItself(meta: Metadata | undefined): boolean {
  return meta?.KeySpec === 'SYMMETRIC_DEFAULT' && meta.Origin === 'AWS_KMS';
}

/** One key as its detail screen shows it: metadata, aliases, tags, rotation; and the changes made to it. */
export class KeyDetail {
  meta = $state<Metadata | undefined>(undefined);
  aliases = $state<string[]>([]);
  tags = $state<Tag[]>([]);
  rotation = $state<KmsOutput<'GetKeyRotationStatus'>>({});
  rotations = $state<NonNullable<KmsOutput<'ListKeyRotations'>['Rotations']>>([]);

  /** The key's editors: their drafts, and the errors of the calls they make. */
  readonly form: Form<KeyEdits>;
  /** This key's audit records, and when it was last used. */
  readonly audit: KeyAudit;

  constructor(readonly keyId: string) {
    this.audit = new KeyAudit(keyId);
    this.form = new Form(`key-${keyId}`, () => ({ editor: undefined, description: '', alias: 'alias/', tagKey: '', tagValue: '', windowDays: 30, period: 365 }), RULES);
  }

  /** Keys under alias/strongroom/… are Strongroom's own: usable, never changeable. */
  get managed(): boolean {
    return this.meta?.KeyManager === 'AWS';
  }

  /** What a person types to confirm the key's deletion: its first alias, or its id when it has none. */
  get confirmName(): string {
    return this.aliases[0] ?? this.keyId;
  }

  /** Opens an editor (closing any other), its field starting from `description` for the description. */
  edit(editor: KeyEditor): void {
    this.form.clearErrors();
    if (editor === 'description') this.form.values.description = this.meta?.Description ?? '';
    this.form.values.editor = editor;
  }

  /** Closes the open editor, leaving its draft. */
  closeEditor(): void {
    this.form.clearErrors();
    this.form.values.editor = undefined;
  }

  async load(): Promise<void> {
    const KeyId = this.keyId;
    await tasks.run('load-key', async () => {
      const [described, aliases, tags] = await Promise.all([kms('DescribeKey', { KeyId }), kms('ListAliases', { KeyId, Limit: 100 }), kms('ListResourceTags', { KeyId, Limit: 50 })]);
      const rotates = rotatesItself(described.KeyMetadata);
      const [rotation, rotations] = rotates ? await Promise.all([kms('GetKeyRotationStatus', { KeyId }), kms('ListKeyRotations', { KeyId, Limit: 100 })]) : [{}, {}];
      this.meta = described.KeyMetadata;
      this.aliases = (aliases.Aliases ?? []).flatMap((a) => (a.AliasName === undefined ? [] : [a.AliasName])).sort();
      this.tags = tags.Tags ?? [];
      this.rotation = rotation;
      this.rotations = rotations.Rotations ?? [];
    });
  }

  /** Runs one operation on this key, then shows the key as it now is; true when it succeeded. */
  async act<O extends KeyOperation>(operation: O, input: Omit<KmsInput<O>, 'KeyId'>): Promise<boolean> {
    return this.thenReload(operation, () => kms(operation, { ...input, KeyId: this.keyId } as KmsInput<O>));
  }

  async addAlias(AliasName: string): Promise<boolean> {
    return this.thenReload('CreateAlias', () => kms('CreateAlias', { AliasName, TargetKeyId: this.keyId }));
  }

  async deleteAlias(AliasName: string): Promise<boolean> {
    return this.thenReload('DeleteAlias', () => kms('DeleteAlias', { AliasName }));
  }

  /** Runs a task on this key, then shows the key as it now is; true when the task succeeded. */
  private async thenReload(task: string, action: () => Promise<unknown>): Promise<boolean> {
    const done = await tasks.run(task, action, this.form);
    if (done.ok) await this.load();
    return done.ok;
  }
}
