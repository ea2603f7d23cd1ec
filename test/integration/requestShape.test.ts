import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/kms/lifecycle/vault';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { b64, call, failure, newKey } from '../helpers/kms';
import { tempDir } from '../helpers/temp';
import { makeVault, PIN } from '../helpers/vault';

let vault: Vault;
let keyId: string;
beforeAll(() => {
  vault = makeVault().vault;
  vault.unlock(PIN);
  keyId = newKey(vault);
});
afterAll(() => {
  vault.close();
});

/** `{"a":{"a":…}}`, `depth` objects deep. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

describe('what a request may hold', () => {
  it('refuses strings that are not well-formed Unicode, which would otherwise encrypt two different contexts alike', () => {
    for (const context of [{ dept: 'a\ud800' }, { dept: 'a\udfff' }, { 'k\udc00': 'v' }]) {
      expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: context })).toMatch(/^ValidationException: .*not well-formed Unicode/);
    }
    const { CiphertextBlob } = call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: { dept: 'a\ufffd' } });
    expect(failure(vault, 'Decrypt', { CiphertextBlob, EncryptionContext: { dept: 'a\ud800' } })).toMatch(/^ValidationException:/);
    expect(call(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: { emoji: '😀' } }).CiphertextBlob).toBeDefined();
  });

  it('refuses nesting 8,000 and 100,000 deep with ValidationException, through the core', () => {
    for (const depth of [8_000, 100_000]) {
      expect(failure(vault, 'Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionContext: JSON.parse(nested(depth)) as unknown })).toMatch(/^ValidationException: .*nested more than/);
    }
  });
});

describe('the CLI', () => {
  let env: Record<string, string>;
  let cliKey: string;
  beforeAll(() => {
    env = initCliVault(PIN).env;
    cliKey = (cli(['kms', 'create-key'], env).json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  });

  it('refuses __proto__ in shorthand as in JSON, rather than encrypting with no context', () => {
    const plaintext = join(tempDir(), 'plain');
    writeFileSync(plaintext, 'x');
    for (const context of ['__proto__=x', '{"__proto__":"x"}', 'dept=a,__proto__=x']) {
      const result = cli(['kms', 'encrypt', '--key-id', cliKey, '--plaintext', `fileb://${plaintext}`, '--encryption-context', context], env);
      expect(errorOf(result)).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/__proto__/) as unknown });
    }
  });

  it('answers a request nested 8,000 and 100,000 deep with ValidationException, not a crash', () => {
    for (const depth of [8_000, 100_000]) {
      const file = join(tempDir(), 'deep.json');
      writeFileSync(file, `{"KeyId":"${cliKey}","Plaintext":"eA==","EncryptionContext":${nested(depth)}}`);
      const result = cli(['kms', 'encrypt', '--cli-input-json', `file://${file}`], env);
      expect(result.status).toBe(254);
      expect(errorOf(result).__type).toBe('ValidationException');
    }
  });

  it('reads a file only up to the member\'s limit, so fileb:///dev/zero ends in ValidationException', () => {
    const plaintext = cli(['kms', 'encrypt', '--key-id', cliKey, '--plaintext', 'fileb:///dev/zero'], env);
    expect(errorOf(plaintext)).toMatchObject({ __type: 'ValidationException', message: '/dev/zero holds more than 4096 bytes, the most Plaintext takes.' });
    const ciphertext = cli(['kms', 'decrypt', '--ciphertext-blob', 'fileb:///dev/zero'], env);
    expect(errorOf(ciphertext)).toMatchObject({ __type: 'ValidationException', message: '/dev/zero holds more than 6144 bytes, the most CiphertextBlob takes.' });
    expect(errorOf(cli(['kms', 'encrypt', '--cli-input-json', 'file:///dev/zero'], env)).message).toMatch(/more than 1048576 bytes, the most a request takes/);
    expect(errorOf(cli(['kms', 'encrypt', '--cli-input-json', '-'], env, ' '.repeat(1024 * 1024 + 1))).__type).toBe('ValidationException');
    const exact = join(tempDir(), 'exact');
    writeFileSync(exact, Buffer.alloc(4096, 1));
    expect(cli(['kms', 'encrypt', '--key-id', cliKey, '--plaintext', `fileb://${exact}`], env).status).toBe(0);
  });
});
