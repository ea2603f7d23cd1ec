// Runs mixed KMS operations on a vault until killed, printing one line per acknowledged operation.
// Usage: node --import tsx test/helpers/crashWorker.ts <home> <pin> <seed>
import { Vault } from '../../src-main/kms/lifecycle/vault';
import { invoke } from '../../src-main/kms/operations';

const [home, pin, seedText] = process.argv.slice(2) as [string, string, string];
const vault = Vault.open(home, 'test');
vault.unlock(pin);
let seed = Number(seedText);
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const ack = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const keys: string[] = [];
for (let i = 0; ; i += 1) {
  const choice = keys.length === 0 ? 0 : random(6);
  const keyId = keys[random(keys.length)] ?? '';
  if (choice === 0) {
    const created = invoke(vault, 'CreateKey', { Description: `crash ${seedText}/${String(i)}` }) as { KeyMetadata: { KeyId: string } };
    keys.push(created.KeyMetadata.KeyId);
    ack({ op: 'CreateKey', keyId: created.KeyMetadata.KeyId, description: `crash ${seedText}/${String(i)}` });
  } else if (choice === 1) {
    const alias = `alias/crash-${seedText}-${String(i)}`;
    invoke(vault, 'CreateAlias', { AliasName: alias, TargetKeyId: keyId });
    ack({ op: 'CreateAlias', keyId, alias });
  } else if (choice === 2) {
    const result = invoke(vault, 'RotateKeyOnDemand', { KeyId: keyId });
    ack({ op: 'RotateKeyOnDemand', keyId, result });
  } else if (choice === 3) {
    const tagValue = `${seedText}/${String(i)}`;
    invoke(vault, 'TagResource', { KeyId: keyId, Tags: [{ TagKey: `t${String(i % 40)}`, TagValue: tagValue }] });
    ack({ op: 'TagResource', keyId, tagKey: `t${String(i % 40)}`, tagValue });
  } else if (choice === 4) {
    const description = `updated ${seedText}/${String(i)}`;
    invoke(vault, 'UpdateKeyDescription', { KeyId: keyId, Description: description });
    ack({ op: 'UpdateKeyDescription', keyId, description });
  } else {
    const { CiphertextBlob } = invoke(vault, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from(`p${String(i)}`).toString('base64') }) as { CiphertextBlob: string };
    ack({ op: 'Encrypt', keyId, ciphertext: CiphertextBlob, plaintext: `p${String(i)}` });
  }
}
