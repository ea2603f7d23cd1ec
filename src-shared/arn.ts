import type { AccountId } from './ids';

/** The resource part of a KMS ARN. */
export type KmsResource = { kind: 'key'; id: string } | { kind: 'alias'; name: string };

export interface KmsArn {
  partition: string;
  region: string;
  accountId: AccountId;
  resource: KmsResource;
}

const ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):([0-9]{12}):(key|alias)\/(.+)$/;

/** Formats an ARN that AWS tooling parses: `arn:aws:kms:<region>:<account>:key/<id>` or `…:alias/<name>`. */
export function formatArn(arn: KmsArn): string {
  const tail = arn.resource.kind === 'key' ? `key/${arn.resource.id}` : `alias/${arn.resource.name}`;
  return `arn:${arn.partition}:kms:${arn.region}:${arn.accountId}:${tail}`;
}

/** Parses a KMS key or alias ARN; returns undefined when `value` is not one. */
export function parseArn(value: string): KmsArn | undefined {
  const match = ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, accountId, kind, rest] = match as unknown as [string, string, string, AccountId, string, string];
  const resource: KmsResource = kind === 'key' ? { kind: 'key', id: rest } : { kind: 'alias', name: rest };
  return { partition, region, accountId, resource };
}

/** A Region name such as eu-west-1: what a vault that holds multi-Region keys is given (strongroom init --region). */
export const REGION_NAME = /^[a-z]+(-[a-z]+){1,2}-\d+$/;
