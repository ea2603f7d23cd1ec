import { Encrypter } from 'age-encryption';

/** One stanza of an age header, as UnwrapAgeFileKey takes it. */
export interface StanzaRequest {
  Args: string[];
  Body: string;
}

/** The stanzas of the header of an age file (bodies of up to 48 bytes, one line each, as X25519 and ML-KEM stanzas have). */
export function stanzasOf(file: Uint8Array): StanzaRequest[] {
  const text = Buffer.from(file).toString('latin1');
  const lines = text.slice(0, text.indexOf('\n--- ')).split('\n');
  const stanzas: StanzaRequest[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('-> ')) stanzas.push({ Args: line.slice(3).split(' '), Body: Buffer.from(lines[i + 1] ?? '', 'base64').toString('base64') });
  });
  return stanzas;
}

/** An age file of `text` for `recipients`, made by typage. */
export async function ageFileFor(recipients: readonly string[], text = 'hello'): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return encrypter.encrypt(text);
}
