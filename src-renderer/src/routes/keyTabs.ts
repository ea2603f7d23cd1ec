import type { Component } from 'svelte';
import type { KeyDetail, KeyMetadata } from '../state/keyDetail.svelte';
import KeyAudit from './KeyAudit.svelte';
import KeyCertificates from './KeyCertificates.svelte';
import KeyDataKeyPairs from './KeyDataKeyPairs.svelte';
import KeyGrants from './KeyGrants.svelte';
import KeyImport from './KeyImport.svelte';
import KeyNames from './KeyNames.svelte';
import KeyOverview from './KeyOverview.svelte';
import KeyPolicy from './KeyPolicy.svelte';
import KeyPublicKey from './KeyPublicKey.svelte';
import KeyRotation from './KeyRotation.svelte';
import KeySign from './KeySign.svelte';

/** One tab of a key's detail: its panel gets the key. */
export interface KeyTab {
  id: string;
  label: string;
  panel: Component<{ key: KeyDetail }>;
  /** Whether a key has this tab (all keys when absent). */
  shows?: (meta: KeyMetadata) => boolean;
}

/** The tabs of a key's detail, in order. A feature that shows more of a key (its policy, grants, public key) adds a row. */
export const KEY_TABS: readonly KeyTab[] = [
  { id: 'overview', label: 'Overview', panel: KeyOverview },
  { id: 'names', label: 'Aliases and tags', panel: KeyNames },
  { id: 'public-key', label: 'Public key', panel: KeyPublicKey, shows: (meta) => meta.KeyUsage === 'SIGN_VERIFY' || meta.KeyUsage === 'KEY_AGREEMENT' || (meta.KeyUsage === 'ENCRYPT_DECRYPT' && meta.KeySpec !== 'SYMMETRIC_DEFAULT') },
  { id: 'sign', label: 'Sign and verify', panel: KeySign, shows: (meta) => meta.KeyUsage === 'SIGN_VERIFY' },
  { id: 'certificates', label: 'Certificates', panel: KeyCertificates, shows: (meta) => meta.KeyUsage === 'SIGN_VERIFY' },
  { id: 'mac', label: 'MACs', panel: KeySign, shows: (meta) => meta.KeyUsage === 'GENERATE_VERIFY_MAC' },
  { id: 'rotation', label: 'Rotation', panel: KeyRotation },
  { id: 'material', label: 'Key material', panel: KeyImport, shows: (meta) => meta.Origin === 'EXTERNAL' },
  { id: 'data-key-pairs', label: 'Data key pairs', panel: KeyDataKeyPairs, shows: (meta) => meta.KeySpec === 'SYMMETRIC_DEFAULT' && meta.Origin !== 'AWS_CLOUDHSM' },
  { id: 'policy', label: 'Policy', panel: KeyPolicy },
  { id: 'grants', label: 'Grants', panel: KeyGrants },
  { id: 'audit', label: 'Audit', panel: KeyAudit },
];
