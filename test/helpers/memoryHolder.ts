// The core as the browser host and the desktop app hold it, taking its orders on stdin, for tests that read its memory.
// Usage: node --import tsx test/helpers/memoryHolder.ts <home> <pin> <keyId>...
// Lines in: "unlock" (then creates a key and makes one Encrypt and Decrypt with it and with each key given, or a GenerateMac with an HMAC_256 key), "lock".
// Lines out: "ready", "unlocked <id of the key it created>", "locked", or "error <message>".
import { createInterface } from 'node:readline';
import { AppCore } from '../../src-main/ipc/appCore';

const [home, pin, ...keyIds] = process.argv.slice(2);
if (home === undefined || pin === undefined) throw new Error('usage: memoryHolder.ts <home> <pin> <keyId>...');
const core = new AppCore(home, 'host');

function must(channel: string, request: unknown): unknown {
  const reply = core.handle(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

function unlockAndUse(): string {
  must('vault:unlock', { pin });
  const { KeyMetadata } = must('kms:call', { operation: 'CreateKey', input: {} }) as { KeyMetadata: { KeyId: string } };
  const message = Buffer.from('memory scan').toString('base64');
  for (const keyId of [...keyIds, KeyMetadata.KeyId]) {
    const described = must('kms:call', { operation: 'DescribeKey', input: { KeyId: keyId } }) as { KeyMetadata: { KeyUsage: string } };
    if (described.KeyMetadata.KeyUsage === 'GENERATE_VERIFY_MAC') {
      must('kms:call', { operation: 'GenerateMac', input: { KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' } });
      continue;
    }
    const { CiphertextBlob } = must('kms:call', { operation: 'Encrypt', input: { KeyId: keyId, Plaintext: message } }) as { CiphertextBlob: string };
    must('kms:call', { operation: 'Decrypt', input: { CiphertextBlob } });
  }
  return KeyMetadata.KeyId;
}

const orders: Record<string, () => string> = {
  unlock: () => `unlocked ${unlockAndUse()}`,
  lock: () => {
    must('vault:lock', {});
    return 'locked';
  },
};

createInterface({ input: process.stdin }).on('line', (line) => {
  const order = orders[line.trim()];
  try {
    process.stdout.write(`${order === undefined ? `error no order ${line}` : order()}\n`);
  } catch (error) {
    process.stdout.write(`error ${error instanceof Error ? error.message : String(error)}\n`);
  }
});
process.stdin.on('end', () => {
  core.close();
});
process.stdout.write('ready\n');
