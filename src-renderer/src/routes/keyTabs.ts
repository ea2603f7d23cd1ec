import type { Component } from 'svelte';
import type { KeyDetail } from '../state/keyDetail.svelte';
import KeyAudit from './KeyAudit.svelte';
import KeyNames from './KeyNames.svelte';
import KeyOverview from './KeyOverview.svelte';
import KeyRotation from './KeyRotation.svelte';

/** One tab of a key's detail: its panel gets the key. */
export interface KeyTab {
  id: string;
  label: string;
  panel: Component<{ key: KeyDetail }>;
}

/** The tabs of a key's detail, in order. A feature that shows more of a key (its policy, grants, public key) adds a row. */
export const KEY_TABS: readonly KeyTab[] = [
  { id: 'overview', label: 'Overview', panel: KeyOverview },
  { id: 'names', label: 'Aliases and tags', panel: KeyNames },
  { id: 'rotation', label: 'Rotation', panel: KeyRotation },
  { id: 'audit', label: 'Audit', panel: KeyAudit },
];
