import { KmsError } from '../../../src-shared/errors';
import { declare } from '../pipeline/declaration';
import { userShape } from './users';

/** ListUsers: the account's users whose path starts with PathPrefix, by name, a page at a time. */
export const listUsers = declare({
  name: 'ListUsers',
  action: 'iam:ListUsers',
  kind: 'read',
  handler: (ctx, request) => {
    let after = '';
    if (request.Marker !== undefined) {
      after = Buffer.from(request.Marker, 'base64url').toString('utf8');
      if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== request.Marker) throw new KmsError('InvalidInputException', 'The Marker is not one that ListUsers gave.');
    }
    const limit = request.MaxItems ?? 100;
    const rows = ctx.vault.users.repo.users(request.PathPrefix ?? '/', after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const truncated = rows.length > limit && last !== undefined;
    return { Users: page.map((user) => userShape(ctx, user)), IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(last.userName, 'utf8').toString('base64url') } : {}) };
  },
});
