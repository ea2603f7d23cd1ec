import { kms, type KmsInput, type KmsOutput } from '../lib/api';
import { session } from './session.svelte';

type Metadata = NonNullable<KmsOutput<'DescribeKey'>['KeyMetadata']>;
type Tag = { TagKey: string; TagValue: string };
/** Operations that act on one key and take its KeyId. */
type KeyOperation = 'UpdateKeyDescription' | 'EnableKey' | 'DisableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion' | 'EnableKeyRotation' | 'DisableKeyRotation' | 'RotateKeyOnDemand' | 'TagResource' | 'UntagResource';

/** One key as its detail screen shows it: metadata, aliases, tags, rotation; and the changes made to it. */
export class KeyDetail {
  meta = $state<Metadata | undefined>(undefined);
  aliases = $state<string[]>([]);
  tags = $state<Tag[]>([]);
  rotation = $state<KmsOutput<'GetKeyRotationStatus'>>({});
  rotations = $state<NonNullable<KmsOutput<'ListKeyRotations'>['Rotations']>>([]);

  constructor(readonly keyId: string) {}

  /** Keys under alias/strongroom/… are Strongroom's own: usable, never changeable. */
  get managed(): boolean {
    return this.meta?.KeyManager === 'AWS';
  }

  async load(): Promise<void> {
    const KeyId = this.keyId;
    await session.run('load-key', async () => {
      const [described, aliases, tags, rotation, rotations] = await Promise.all([
        kms('DescribeKey', { KeyId }),
        kms('ListAliases', { KeyId, Limit: 100 }),
        kms('ListResourceTags', { KeyId, Limit: 50 }),
        kms('GetKeyRotationStatus', { KeyId }),
        kms('ListKeyRotations', { KeyId, Limit: 100 }),
      ]);
      this.meta = described.KeyMetadata;
      this.aliases = (aliases.Aliases ?? []).flatMap((a) => (a.AliasName === undefined ? [] : [a.AliasName]));
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
    const done = await session.run(task, action);
    if (done !== undefined) await this.load();
    return done !== undefined;
  }
}
