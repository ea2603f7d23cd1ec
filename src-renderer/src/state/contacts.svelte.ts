import { files, type FilesOutput } from '../lib/api';
import { bytesToBase64 } from '../lib/format';
import { Form } from './form.svelte';
import { tasks } from './tasks.svelte';

type Contact = FilesOutput<'ListContacts'>['Contacts'][number];

/** The people files are encrypted for: listed, added from a pasted or picked public key, removed. A public key is no secret. */
export class Contacts {
  list = $state<Contact[]>([]);
  /** The contact just added, whose fingerprint the person should compare. */
  added = $state<Contact | undefined>(undefined);
  readonly form = new Form('new-contact', () => ({ name: '', publicKey: '', description: '' }), {
    name: { members: ['Name'], invalid: 'A name has letters, digits, spaces and . @ + = , _ - only, up to 64.', errors: { AlreadyExistsException: true } },
    publicKey: { members: ['PublicKey'], errors: { ValidationException: true } },
  });

  async load(): Promise<void> {
    const result = await tasks.run('ListContacts', () => files('ListContacts', {}));
    if (result.ok) this.list = result.value.Contacts;
  }

  /** Reads a picked file into the public key field: text as it is, anything else (DER) as base64. */
  async pick(file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    this.form.values.publicKey = /-----BEGIN|^\s*[{a]/.test(text) ? text : bytesToBase64(bytes);
  }

  async add(): Promise<void> {
    const { name, publicKey, description } = this.form.values;
    const result = await tasks.run('CreateContact', () => files('CreateContact', { Name: name.trim(), PublicKey: publicKey, ...(description === '' ? {} : { Description: description }) }), this.form);
    if (!result.ok) return;
    this.added = result.value.Contact;
    this.form.reset();
    await this.load();
  }

  async remove(name: string): Promise<void> {
    const result = await tasks.run('DeleteContact', () => files('DeleteContact', { Name: name }));
    if (result.ok) await this.load();
  }
}

type AgeIdentity = FilesOutput<'ListAgeIdentities'>['AgeIdentities'][number];

/** The vault's age identities, which open age files sent to you: listed with their recipients, made (the secret stays in the vault), removed. Importing one, which means handling its secret, is the command line's (`strongroom identity import`). */
export class AgeIdentities {
  list = $state<AgeIdentity[]>([]);
  name = $state('');
  postQuantum = $state(false);

  async load(): Promise<void> {
    const result = await tasks.run('ListAgeIdentities', () => files('ListAgeIdentities', {}));
    if (result.ok) this.list = result.value.AgeIdentities;
  }

  async create(): Promise<void> {
    const result = await tasks.run('CreateAgeIdentity', () => files('CreateAgeIdentity', { Name: this.name.trim(), Kind: this.postQuantum ? 'MLKEM768X25519' : 'X25519' }));
    if (!result.ok) return;
    this.name = '';
    await this.load();
  }

  async remove(name: string): Promise<void> {
    const result = await tasks.run('DeleteAgeIdentity', () => files('DeleteAgeIdentity', { Name: name }));
    if (result.ok) await this.load();
  }
}
