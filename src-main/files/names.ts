/** The extension of an Encryption SDK message Strongroom writes; age files get `.age`. */
export const MESSAGE_EXTENSION = '.enc';

/** Where an encrypted file goes by default: PATH.enc, or PATH.age for an age file. */
export function encryptedName(path: string, age: boolean): string {
  return `${path}${age ? '.age' : MESSAGE_EXTENSION}`;
}

/** Where a decrypted file goes by default: PATH without .enc or .age, or PATH.decrypted. */
export function decryptedName(path: string): string {
  const extension = [MESSAGE_EXTENSION, '.age'].find((ending) => path.endsWith(ending) && path.length > ending.length);
  return extension === undefined ? `${path}.decrypted` : path.slice(0, -extension.length);
}
