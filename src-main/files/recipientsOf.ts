import { createPublicKey } from 'node:crypto';
import { KmsError } from '../../src-shared/errors';
import { isAgeRecipient } from '../envelope/ageFiles';
import { parseContactKey, type ContactKey } from '../envelope/contactKeys';
import { recipientOfKey, type KmsCall, type Recipient } from '../envelope/recipients';
import { keyFileText } from './keyFiles';

/** Whom a file is encrypted for: age recipients (an age file), or the recipients of an Encryption SDK message. */
export type Recipients = { readonly age: readonly string[] } | { readonly message: readonly Recipient[] };

/** A contact's kind and key, as ListContacts gives them (or a public key file, read as a contact's would be). */
type NamedKey = Pick<ContactKey, 'kind' | 'publicKey'>;

/** The public key of a recipient file, read as a contact's key is (an RSA or EC public key or certificate, PEM, DER or JWK, or an age recipient). */
function keyInFile(path: string, text: string): NamedKey {
  try {
    return parseContactKey(text);
  } catch (error) {
    throw new KmsError('ValidationException', `${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Whether `given` are all age recipients, which need no vault to encrypt for. */
export function allAge(given: readonly string[]): boolean {
  return given.length > 0 && given.every(isAgeRecipient);
}

/**
 * What each of `given` names, in this order: an age recipient, a public key
 * file, a contact, a key of the vault (`call`; none is needed when
 * {@link allAge}). ValidationException for a mix of age recipients and
 * others: they get files of different formats.
 */
export async function recipientsOf(given: readonly string[], call?: KmsCall): Promise<Recipients> {
  if (allAge(given)) return { age: given };
  if (call === undefined) throw new Error('Recipients other than age recipients are found with the vault.');
  let contacts: Map<string, NamedKey> | undefined;
  /** An age recipient as itself, a file's key, or a contact's (the contacts read once); undefined for a key of the vault. */
  const named = async (one: string): Promise<NamedKey | undefined> => {
    if (isAgeRecipient(one)) return { kind: 'age', publicKey: one };
    const text = keyFileText(one);
    if (text !== undefined) return keyInFile(one, text);
    contacts ??= new Map(((await call('ListContacts', {})).Contacts as { Name: string; Kind: ContactKey['kind']; PublicKey: string }[]).map((c) => [c.Name.toLowerCase(), { kind: c.Kind, publicKey: c.PublicKey }]));
    return contacts.get(one.toLowerCase());
  };
  const age: string[] = [];
  const message: Recipient[] = [];
  for (const one of given) {
    const key = await named(one);
    if (key === undefined) message.push(await recipientOfKey(call, one));
    else if (key.kind === 'age') age.push(key.publicKey);
    else message.push({ kind: key.kind, spki: createPublicKey(key.publicKey).export({ type: 'spki', format: 'der' }) });
  }
  if (age.length > 0 && message.length > 0) throw new KmsError('ValidationException', 'age recipients get an age file, and keys and public keys an Encryption SDK message: encrypt for them in two files.');
  return age.length > 0 ? { age } : { message };
}
