import type { Db } from './db';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

/** Prepared statements over the tags table. */
export class TagsRepo {
  private readonly forKey;
  private readonly putRow;
  private readonly removeRow;

  constructor(db: Db) {
    this.forKey = db.prepare<[string], Tag>('SELECT tag_key AS TagKey, tag_value AS TagValue FROM tags WHERE key_id = ? ORDER BY tag_key');
    this.putRow = db.prepare<[string, string, string]>('INSERT INTO tags (key_id, tag_key, tag_value) VALUES (?, ?, ?) ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value');
    this.removeRow = db.prepare<[string, string]>('DELETE FROM tags WHERE key_id = ? AND tag_key = ?');
  }

  /** The tags of one key, by tag key. */
  ofKey(keyId: string): Tag[] {
    return this.forKey.all(keyId);
  }

  /** Adds tags or replaces the values of existing ones. */
  put(keyId: string, tags: readonly Tag[]): void {
    for (const tag of tags) this.putRow.run(keyId, tag.TagKey, tag.TagValue);
  }

  /** Removes the named tags; names that are not there are ignored. */
  remove(keyId: string, tagKeys: readonly string[]): void {
    for (const key of tagKeys) this.removeRow.run(keyId, key);
  }
}
