import { declare } from '../pipeline/declaration';
import { splitShape } from './splitShape';

/** DescribeRecoverySplit: the vault's id, and its current split (none before the first). */
export const describeRecoverySplit = declare({
  name: 'DescribeRecoverySplit',
  action: 'strongroom:DescribeRecoverySplit',
  kind: 'read',
  handler: (ctx) => {
    const { vaultId } = ctx.vault.record;
    const row = ctx.vault.recovery.get();
    return { VaultId: vaultId, ...(row === undefined ? {} : { RecoverySplit: splitShape(vaultId, row) }) };
  },
});
