import { kms, type KmsOutput } from '../lib/api';
import { Form } from './form.svelte';
import { tasks } from './tasks.svelte';

/** One custom key store, as DescribeCustomKeyStores gives it. */
export type KeyStoreEntry = NonNullable<KmsOutput<'DescribeCustomKeyStores'>['CustomKeyStores']>[number];

/** The new-store form's values (the token's PIN is not one: the screen keeps it, and it goes with the screen). */
export interface NewKeyStore {
  name: string;
  uri: string;
}

/**
 * The vault's custom key stores (PKCS#11 tokens that hold keys), and what a
 * security officer does with them: add one, connect, disconnect, give it the
 * token's new PIN, delete it.
 */
class KeyStores {
  list = $state<KeyStoreEntry[]>([]);
  readonly form = new Form<NewKeyStore>('new-key-store', () => ({ name: '', uri: 'pkcs11:token=' }), {
    name: { members: ['CustomKeyStoreName'], invalid: 'A name has 1 to 256 characters.', errors: { CustomKeyStoreNameInUseException: 'Another store has this name.' } },
    uri: {
      members: ['TrustAnchorCertificate'],
      invalid: 'A PKCS#11 URI: pkcs11:token=<label> for a token of the vault\'s module, with ?module-path=<library> for another.',
      errors: { IncorrectTrustAnchorException: true, CloudHsmClusterNotFoundException: true, CloudHsmClusterInUseException: true, CloudHsmClusterInvalidConfigurationException: true },
    },
  });

  /** The stores that are connected: where a new key can be made. */
  get connected(): KeyStoreEntry[] {
    return this.list.filter((store) => store.ConnectionState === 'CONNECTED');
  }

  async load(): Promise<void> {
    const result = await tasks.background('load-key-stores', () => kms('DescribeCustomKeyStores', { Limit: 1000 }));
    if (result.ok) this.list = result.value.CustomKeyStores ?? [];
  }

  /** Adds a store on the token the form's URI names (with its user PIN, unless it is the vault's own token); true when it was added. */
  async create(pin: string): Promise<boolean> {
    const { name, uri } = this.form.values;
    const result = await tasks.run('CreateCustomKeyStore', () => kms('CreateCustomKeyStore', { CustomKeyStoreName: name, TrustAnchorCertificate: uri, ...(pin === '' ? {} : { KeyStorePassword: pin }) }), this.form);
    if (result.ok) {
      this.form.reset();
      await this.load();
    }
    return result.ok;
  }

  async connect(id: string): Promise<void> {
    await this.thenReload('ConnectCustomKeyStore', () => kms('ConnectCustomKeyStore', { CustomKeyStoreId: id }));
  }

  async disconnect(id: string): Promise<void> {
    await this.thenReload('DisconnectCustomKeyStore', () => kms('DisconnectCustomKeyStore', { CustomKeyStoreId: id }));
  }

  /** Gives a disconnected store its token's new user PIN. */
  async updatePin(id: string, pin: string): Promise<boolean> {
    return this.thenReload('UpdateCustomKeyStore', () => kms('UpdateCustomKeyStore', { CustomKeyStoreId: id, KeyStorePassword: pin }));
  }

  async delete(id: string): Promise<void> {
    await this.thenReload('DeleteCustomKeyStore', () => kms('DeleteCustomKeyStore', { CustomKeyStoreId: id }));
  }

  private async thenReload(task: string, action: () => Promise<unknown>): Promise<boolean> {
    const result = await tasks.run(task, action);
    await this.load();
    return result.ok;
  }
}

export const keyStores = new KeyStores();
