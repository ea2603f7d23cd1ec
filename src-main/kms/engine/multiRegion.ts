import { randomBytes } from 'node:crypto';
import { KmsError } from '../../../src-shared/errors';
import type { MultiRegionConfiguration } from '../../../src-shared/kms/shapes.generated';
import type { KeyRow } from '../../vault/keysRepo';
import type { KeyStore } from './keyStore';

/** A multi-Region key's id: `mrk-` and 32 hexadecimal digits, the same in every vault that holds it. */
export function newMultiRegionKeyId(): string {
  return `mrk-${randomBytes(16).toString('hex')}`;
}

/** One key of a multi-Region set: its ARN in its vault, and that vault's Region. */
export interface RegionKey {
  Arn: string;
  Region: string;
}

/** What a multi-Region key's row keeps: whether it is the primary, the primary, and every replica. */
export interface MultiRegion {
  MultiRegionKeyType: 'PRIMARY' | 'REPLICA';
  PrimaryKey: RegionKey;
  ReplicaKeys: RegionKey[];
}

/** The key's multi-Region configuration, or undefined for a single-Region key. */
export function multiRegionOf(row: Pick<KeyRow, 'multiRegion'>): MultiRegion | undefined {
  return row.multiRegion === null ? undefined : (JSON.parse(row.multiRegion) as MultiRegion);
}

/** The configuration as the key row stores it. */
export function storedMultiRegion(config: MultiRegion): string {
  return JSON.stringify(config);
}

/** What DescribeKey says of it. */
export function multiRegionMetadata(row: KeyRow): { MultiRegion: boolean; MultiRegionConfiguration?: MultiRegionConfiguration } {
  const config = multiRegionOf(row);
  return config === undefined ? { MultiRegion: false } : { MultiRegion: true, MultiRegionConfiguration: config };
}

/** UnsupportedOperationException for `what` on a replica: the primary decides it (rotation), as in AWS KMS. */
export function refuseOnReplica(store: KeyStore, row: KeyRow, what: string): void {
  if (multiRegionOf(row)?.MultiRegionKeyType === 'REPLICA') {
    throw new KmsError('UnsupportedOperationException', `${store.keyArn(row.keyId)} is a multi-Region replica key: ${what} is done on its primary key, whose new material reaches the replica with the next replica export.`);
  }
}
