import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { combineShares, openShareFile, readShareFile, sealShare, shareFromWords, shareWords, splitSecret, vaultFingerprint } from '../../src-main/recovery/shares';

const VAULT = 'b5d6a45a-077f-4f50-8fb4-d907cb779810';
const plan = { vaultId: VAULT, splitId: '0123456789abcdef', threshold: 3, custodians: ['ana', 'bo', 'cy', 'di', 'ed'] };

/** Every way of choosing `k` of `items`. */
function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return items.flatMap((item, i) => subsets(items.slice(i + 1), k - 1).map((rest) => [item, ...rest]));
}

const errorOf = async (work: Promise<unknown>): Promise<string> => work.then(() => 'no error', (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));

describe('recovery shares', () => {
  it('split 3 of 5: each of the ten sets of 3 gives the secret back; 2 are refused', async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, plan);
    expect(shares.map((share) => [share.index, share.threshold, share.shares, share.share.length])).toEqual([1, 2, 3, 4, 5].map((index) => [index, 3, 5, 33]));
    const sets = subsets(shares, 3);
    expect(sets).toHaveLength(10);
    for (const set of sets) expect((await combineShares(set)).secret.equals(secret)).toBe(true);
    expect(await errorOf(combineShares(shares.slice(0, 2)))).toBe('ValidationException: Split 0123456789abcdef needs 3 of its 5 shares; 2 were given.');
    expect(await errorOf(combineShares([shares[0], shares[0], shares[1]].flatMap((s) => (s === undefined ? [] : [s]))))).toMatch(/The same share was given twice/);
    const other = await splitSecret(randomBytes(32), { ...plan, splitId: 'fedcba9876543210' });
    expect(await errorOf(combineShares([...shares.slice(0, 2), ...other.slice(0, 1)]))).toMatch(/^ValidationException: The shares are of different splits \(0123456789abcdef and fedcba9876543210\)/);
  });

  it('are written as 39 words with a checksum: read back exactly; a changed or unknown word is caught', async () => {
    const [share] = await splitSecret(randomBytes(32), plan);
    if (share === undefined) throw new Error('no share');
    const words = shareWords(share);
    expect(words.split(' ')).toHaveLength(39);
    expect(shareFromWords(words.toUpperCase())).toEqual({ ...share, vault: vaultFingerprint(VAULT) });
    const list = words.split(' ');
    const swapped = [...list];
    swapped[7] = list[8] ?? '';
    swapped[8] = list[7] ?? '';
    expect(() => shareFromWords(swapped.join(' '))).toThrow(/checksum does not match/);
    expect(() => shareFromWords([...list.slice(0, 38), 'strongroom'].join(' '))).toThrow(/Word 39, "strongroom", is not one of the list's words/);
    expect(() => shareFromWords(list.slice(1).join(' '))).toThrow(/is 39 words; 38 were given/);
  });

  it('are sealed in a file with the custodian’s passphrase: opened with it, refused with another or when a field is changed', async () => {
    const [share] = await splitSecret(randomBytes(32), plan);
    if (share === undefined) throw new Error('no share');
    const file = sealShare(share, VAULT, 'ana', 'correct horse battery staple');
    const text = JSON.stringify(file);
    expect(text).not.toContain(share.share.toString('base64'));
    const read = readShareFile(text, 'ana.share.json');
    expect(read).toMatchObject({ VaultId: VAULT, SplitId: plan.splitId, Threshold: 3, Shares: 5, Index: 1, Custodian: 'ana' });
    expect(openShareFile(read, 'correct horse battery staple', 'ana.share.json').share.equals(share.share)).toBe(true);
    expect(() => openShareFile(read, 'wrong horse', 'ana.share.json')).toThrow(/does not open with that passphrase/);
    expect(() => openShareFile({ ...read, Custodian: 'mallory' }, 'correct horse battery staple', 'ana.share.json')).toThrow(/does not open with that passphrase \(or the file was changed\)/);
    expect(() => readShareFile('{"Format":"something else"}', 'x.json')).toThrow(/is not a recovery share file/);
    expect(() => readShareFile(JSON.stringify({ ...file, Kdf: { ...file.Kdf, passes: 1 } }), 'x.json')).toThrow(/weaker than allowed/);
  });
});
