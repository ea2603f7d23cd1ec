import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, errorOf, initCliVault } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

describe('what the CLI reads for a request', () => {
  let env: Record<string, string>;
  let keyId: string;
  beforeAll(() => {
    env = initCliVault(PIN).env;
    keyId = (cli(['kms', 'create-key'], env).json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  });

  it("stops one byte past the member's limit, so fileb:///dev/zero ends in ValidationException instead of reading forever", () => {
    const plaintext = cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', 'fileb:///dev/zero'], env);
    expect(errorOf(plaintext)).toMatchObject({ __type: 'ValidationException', message: 'fileb:///dev/zero holds more than 4096 bytes, the most --plaintext (Plaintext) takes.' });
    const ciphertext = cli(['kms', 'decrypt', '--ciphertext-blob', 'fileb:///dev/zero'], env);
    expect(errorOf(ciphertext)).toMatchObject({ __type: 'ValidationException', message: 'fileb:///dev/zero holds more than 6144 bytes, the most --ciphertext-blob (CiphertextBlob) takes.' });
    expect(errorOf(cli(['kms', 'encrypt', '--cli-input-json', 'file:///dev/zero'], env)).message).toMatch(/more than 1048576 bytes, more than any KMS request takes/);
    const exact = join(tempDir(), 'exact');
    writeFileSync(exact, Buffer.alloc(4096, 1));
    expect(cli(['kms', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${exact}`], env).status).toBe(0);
  });

  it('stops reading standard input past 1 MiB', () => {
    const result = cli(['kms', 'encrypt', '--cli-input-json', '-'], env, ' '.repeat(1024 * 1024 + 1));
    expect(errorOf(result)).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/^Standard input holds more than 1048576 bytes/) as unknown });
  });
});
