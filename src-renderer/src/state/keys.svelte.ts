import type { ChannelRequest, ChannelResponse } from '../../../src-shared/ipc/channels';
import { call, kms } from '../lib/api';
import { keyValueLines } from '../lib/format';
import type { CatalogSpec, CatalogUsage } from '../../../src-shared/kms/keySpecCatalog';
import type { Form } from './form.svelte';
import { tasks, type Result } from './tasks.svelte';

export type KeyRow = ChannelResponse<'keys:page'>['keys'][number];
export type KeyFilter = Omit<ChannelRequest<'keys:page'>, 'limit' | 'marker' | 'sortBy' | 'descending'>;
export type KeySort = NonNullable<ChannelRequest<'keys:page'>['sortBy']>;

const PAGE = 50;

/** The create form's values. */
export interface NewKey {
  /** The key spec and usage, a pair the key-spec catalog offers. */
  spec: CatalogSpec;
  usage: CatalogUsage;
  /** Where its material comes from and lives: made in the vault, imported later, or made on a custom key store's token (its id). */
  where: 'vault' | 'external' | `cks-${string}`;
  description: string;
  /** `key=value` lines. */
  tags: string;
  /** Its material may be wrapped out for a cloud KMS (WrapKeyMaterial): fixed for the key's life. */
  exportable: boolean;
  /** A multi-Region key (an mrk- id), which can be replicated to vaults of other Regions. */
  multiRegion: boolean;
}

/** Tags as `key=value` lines; a line without `=` is a tag with an empty value. */
function parseTags(lines: string): { TagKey: string; TagValue: string }[] {
  return keyValueLines(lines).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

/**
 * The key list: one page of 50 at a time, filtered and paged by the core
 * (`keys:page` does in one call what ListKeys, ListAliases and a DescribeKey
 * per row would, and filters every key rather than one page).
 */
class KeyList {
  rows = $state<KeyRow[]>([]);
  filter = $state<KeyFilter>({});
  next = $state<string | undefined>(undefined);
  page = $state(0);
  /** The column the list is sorted by, and which way. */
  sortBy = $state<KeySort>('created');
  descending = $state(false);
  /** The key whose detail is open. */
  selected = $state<string | undefined>(undefined);
  /** The key whose detail was open last. */
  opened: string | undefined;
  /** The markers of this page and of the pages before it. */
  private markers: (string | undefined)[] = [undefined];

  private async load(marker: string | undefined, task = 'keys'): Promise<boolean> {
    const result = await tasks.run(task, () => call('keys:page', { ...this.filter, sortBy: this.sortBy, descending: this.descending, limit: PAGE, ...(marker === undefined ? {} : { marker }) }));
    if (!result.ok) return false;
    this.rows = result.value.keys;
    this.next = result.value.nextMarker;
    return true;
  }

  async reload(): Promise<void> {
    await this.load(this.markers[this.page]);
  }

  /** Opens a key's detail. */
  open(keyId: string): void {
    this.selected = keyId;
    this.opened = keyId;
  }

  /** Closes the key detail; the list, shown again, loads as it now is and gives the focus to the row of that key. */
  close(): void {
    this.selected = undefined;
    this.returning = true;
  }

  /** True from closing a key's detail until the list takes it up: the list then puts the focus on that key's row. */
  returning = false;

  /** Sorts by `column`: the column sorted already turns the other way; another starts ascending. From the first page. */
  async sort(column: KeySort): Promise<void> {
    this.descending = column === this.sortBy ? !this.descending : false;
    this.sortBy = column;
    this.markers = [undefined];
    this.page = 0;
    await this.load(undefined, 'sort');
  }

  /** Creates a key of the form's spec and usage and opens it; the form's errors show at its fields. */
  async create(form: Form<NewKey>): Promise<Result<unknown>> {
    const { spec, usage, where, description, tags, exportable, multiRegion } = form.values;
    const parsed = parseTags(tags);
    const origin = where === 'vault' ? {} : where === 'external' ? { Origin: 'EXTERNAL' as const } : { Origin: 'AWS_CLOUDHSM' as const, CustomKeyStoreId: where };
    const extras = { ...(exportable ? { Exportable: true } : {}), ...(multiRegion ? { MultiRegion: true } : {}) };
    const result = await tasks.run('create-key', () => kms('CreateKey', { KeySpec: spec, KeyUsage: usage, ...origin, ...extras, Description: description, ...(parsed.length > 0 ? { Tags: parsed } : {}) }), form);
    if (result.ok && result.value.KeyMetadata !== undefined) {
      form.reset();
      this.open(result.value.KeyMetadata.KeyId);
    }
    return result;
  }

  async search(filter: KeyFilter): Promise<void> {
    this.filter = filter;
    this.markers = [undefined];
    this.page = 0;
    await this.load(undefined, 'filter');
  }

  async forward(): Promise<void> {
    const next = this.next;
    if (next === undefined || !(await this.load(next, 'next-page'))) return;
    this.page += 1;
    this.markers[this.page] = next;
  }

  async back(): Promise<void> {
    if (this.page === 0 || !(await this.load(this.markers[this.page - 1], 'prev-page'))) return;
    this.page -= 1;
  }
}

export const keyList = new KeyList();
