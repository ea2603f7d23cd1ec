import type { ChannelRequest, ChannelResponse } from '../../../src-shared/ipc/channels';
import { call } from '../lib/api';
import type { Form } from './form.svelte';
import { tasks, type Result } from './tasks.svelte';

/** The first run's calls: the tokens a PKCS#11 module offers, and creating the vault. */
export const setup = {
  listTokens(pkcs11: string, form: Form<object>): Promise<Result<ChannelResponse<'tokens:list'>>> {
    return tasks.run('list-tokens', () => call('tokens:list', { pkcs11 }), form);
  },

  createVault(request: ChannelRequest<'vault:init'>, form: Form<object>): Promise<Result<ChannelResponse<'vault:init'>>> {
    return tasks.run('create-vault', () => call('vault:init', request), form);
  },
};
