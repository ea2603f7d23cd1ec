import { KmsError } from '../../../src-shared/errors';
import type { Tag } from '../../vault/tagsRepo';

export const MAX_TAGS_PER_KEY = 50;

/** TagException for a tag key with the `aws:` prefix, which AWS reserves: such tags cannot be added, changed or removed. */
export function refuseReservedTagKey(tagKey: string): void {
  if (tagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', `Tag keys beginning with "aws:" are reserved: ${tagKey}.`);
}

/** Refuses tags AWS KMS refuses: the reserved `aws:` prefix and a tag key given twice. */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { TagKey } of tags) {
    refuseReservedTagKey(TagKey);
    if (seen.has(TagKey)) throw new KmsError('TagException', `The tag key ${TagKey} appears more than once.`);
    seen.add(TagKey);
  }
}

/** Throws LimitExceededException when TagResource would give a key more than 50 tags (CreateKey answers TagException, as AWS does). */
export function checkTagCount(count: number): void {
  if (count > MAX_TAGS_PER_KEY) throw new KmsError('LimitExceededException', `A key can have at most ${String(MAX_TAGS_PER_KEY)} tags; this would make ${String(count)}.`);
}
