import type { ChannelRequest, ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import { session } from './session.svelte';

type Row = ChannelResponse<'keys:page'>['keys'][number];
type Filter = Omit<ChannelRequest<'keys:page'>, 'limit' | 'marker'>;

const PAGE = 50;

/** The key list: one page of 50 at a time, filtered and paged by the core. */
class KeyList {
  rows = $state<Row[]>([]);
  filter = $state<Filter>({});
  /** Markers of the pages before and of this one; the next page's marker. */
  private markers: (string | undefined)[] = [undefined];
  next = $state<string | undefined>(undefined);
  page = $state(0);
  selected = $state<string | undefined>(undefined);

  async load(marker: string | undefined): Promise<void> {
    const result = await session.run(() => call('keys:page', { ...this.filter, limit: PAGE, ...(marker === undefined ? {} : { marker }) }));
    if (result === undefined) return;
    this.rows = result.keys;
    this.next = result.nextMarker;
  }

  async reload(): Promise<void> {
    await this.load(this.markers[this.page]);
  }

  async search(filter: Filter): Promise<void> {
    this.filter = filter;
    this.markers = [undefined];
    this.page = 0;
    await this.load(undefined);
  }

  async forward(): Promise<void> {
    if (this.next === undefined) return;
    this.markers[this.page + 1] = this.next;
    this.page += 1;
    await this.load(this.next);
  }

  async back(): Promise<void> {
    if (this.page === 0) return;
    this.page -= 1;
    await this.load(this.markers[this.page]);
  }
}

export const keyList = new KeyList();
