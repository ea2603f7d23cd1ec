// `strongroom x509`: requests, roots and issued certificates signed by KMS keys, checked by openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, initCliVault } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { PIN } from '../helpers/vault';

let env: Record<string, string>;
const dir = tempDir();
beforeAll(() => {
  ({ env } = initCliVault(PIN));
});

/** `strongroom ARGS`, which must succeed; its standard output. */
function ok(args: string[]): string {
  const result = cli(args, env);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

const keyOf = (spec: string, usage = 'SIGN_VERIFY'): string => ok(['kms', 'create-key', '--key-spec', spec, '--key-usage', usage, '--query', 'KeyMetadata.KeyId', '--output', 'text']).trim();
const file = (name: string): string => join(dir, name);
const openssl = (args: string[]): string => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/**
 * Whether openssl finds the SM2 signature of `certificate` good under the
 * public key of `issuer`, with the default distinguishing ID: `openssl dgst`
 * on the to-be-signed bytes that `openssl asn1parse` locates. (`openssl
 * verify` of OpenSSL 3.0 refuses every SM2 chain of v3 certificates, its own
 * too.)
 */
function sm2CertificateVerifies(certificate: string, issuer: string): boolean {
  const der = execFileSync('openssl', ['x509', '-in', certificate, '-outform', 'DER']);
  const items = openssl(['asn1parse', '-inform', 'PEM', '-in', certificate])
    .trim()
    .split('\n')
    .map((line) => /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line)?.slice(1).map(Number) ?? []);
  const [tbsAt = 0, , tbsHeader = 0, tbsLength = 0] = items[1] ?? [];
  const [signatureAt = 0, , signatureHeader = 0, signatureLength = 0] = items.at(-1) ?? [];
  writeFileSync(file('tbs.der'), der.subarray(tbsAt, tbsAt + tbsHeader + tbsLength));
  writeFileSync(file('signature.der'), der.subarray(signatureAt + signatureHeader + 1, signatureAt + signatureHeader + signatureLength));
  writeFileSync(file('issuer-key.pem'), openssl(['x509', '-in', issuer, '-noout', '-pubkey']));
  try {
    execFileSync('openssl', ['dgst', '-sm3', '-sigopt', 'distid:1234567812345678', '-verify', file('issuer-key.pem'), '-signature', file('signature.der'), file('tbs.der')], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('strongroom x509', () => {
  it.each([
    ['ECC_NIST_P384', 'RSA_2048', [], 'ecdsa-with-SHA384', 'sha256WithRSAEncryption'],
    ['ECC_NIST_EDWARDS25519', 'ECC_NIST_P256', [], 'ED25519', 'ecdsa-with-SHA256'],
    ['RSA_3072', 'ECC_SECG_P256K1', ['--signing-algorithm', 'RSASSA_PSS_SHA_256'], 'rsassaPss', 'ecdsa-with-SHA256'],
    ['SM2', 'SM2', [], 'SM2-with-SM3', 'SM2-with-SM3'],
  ])('a %s root issues a certificate for a %s key’s request; openssl verifies the chain', (rootSpec, leafSpec, rootAlgorithm, rootSignature, leafSignature) => {
    const root = keyOf(rootSpec);
    const leaf = keyOf(leafSpec);
    ok(['x509', 'self-sign', '--key-id', root, '--subject', 'CN=Example Root CA,O=Example,C=SE', '--days', '3650', '--ca', '-o', file('root.pem'), '--force', ...rootAlgorithm]);
    const rootText = openssl(['x509', '-in', file('root.pem'), '-noout', '-text']);
    expect(rootText).toContain(`Signature Algorithm: ${rootSignature}`);
    expect(rootText).toMatch(/CA:TRUE/);
    expect(rootText).toMatch(/Certificate Sign, CRL Sign/);
    expect(openssl(['x509', '-in', file('root.pem'), '-noout', '-subject'])).toContain('subject=C = SE, O = Example, CN = Example Root CA');

    // The request goes to standard output without -o.
    writeFileSync(file('leaf.csr'), ok(['x509', 'csr', '--key-id', leaf, '--subject', 'CN=signer.example,O=Example', '--san', 'DNS:signer.example,IP:10.0.0.1,email:pki@example']));
    expect(() => execFileSync('openssl', ['req', '-in', file('leaf.csr'), '-verify', '-noout'], { stdio: 'pipe' })).not.toThrow();
    expect(openssl(['req', '-in', file('leaf.csr'), '-noout', '-text'])).toContain(`Signature Algorithm: ${leafSignature}`);

    ok(['x509', 'sign', '--key-id', root, '--issuer-cert', file('root.pem'), '--csr', file('leaf.csr'), '--days', '365', '-o', file('leaf.pem'), '--force', ...rootAlgorithm]);
    if (rootSpec === 'SM2') {
      expect(sm2CertificateVerifies(file('root.pem'), file('root.pem'))).toBe(true);
      expect(sm2CertificateVerifies(file('leaf.pem'), file('root.pem'))).toBe(true);
      expect(sm2CertificateVerifies(file('leaf.pem'), file('leaf.pem'))).toBe(false);
    }
    else expect(openssl(['verify', '-CAfile', file('root.pem'), file('leaf.pem')])).toContain('leaf.pem: OK');
    const leafText = openssl(['x509', '-in', file('leaf.pem'), '-noout', '-text']);
    expect(leafText).toContain('DNS:signer.example, IP Address:10.0.0.1, email:pki@example');
    expect(leafText).toMatch(/CA:FALSE/);
    // The certificate holds the leaf key's public key, as GetPublicKey gives it.
    const leafKey = Buffer.from(ok(['kms', 'get-public-key', '--key-id', leaf, '--query', 'PublicKey', '--output', 'text']).trim(), 'base64');
    expect(execFileSync('openssl', ['x509', '-in', file('leaf.pem'), '-noout', '-pubkey']).toString()).toContain(leafKey.toString('base64').slice(0, 60));
  });

  it('refuses bad subjects, the wrong issuer certificate, a changed request, keys that do not sign, and overwriting', () => {
    const root = keyOf('ECC_NIST_P256');
    const other = keyOf('ECC_NIST_P256');
    ok(['x509', 'self-sign', '--key-id', root, '--subject', 'CN=Root', '--days', '30', '--ca', '-o', file('r.pem'), '--force']);
    writeFileSync(file('r.csr'), ok(['x509', 'csr', '--key-id', other, '--subject', 'CN=Other']));
    const refused = (args: string[], status: number, message: RegExp): void => {
      const result = cli(args, env);
      expect(result.status, args.join(' ')).toBe(status);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    };
    refused(['x509', 'csr', '--key-id', root, '--subject', 'XX=nope'], 252, /"XX=nope" is not TYPE=value/);
    refused(['x509', 'csr', '--key-id', root, '--subject', 'CN=x,C=Sweden'], 252, /two-letter country/);
    refused(['x509', 'self-sign', '--key-id', root, '--subject', 'CN=x', '--days', '0'], 252, /--days is a number of days/);
    refused(['x509', 'sign', '--key-id', other, '--issuer-cert', file('r.pem'), '--csr', file('r.csr'), '--days', '1'], 252, /not the certificate of/);
    const csr = readFileSync(file('r.csr'), 'utf8');
    const der = Buffer.from(csr.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 10] = (der[der.length - 10] ?? 0) ^ 1;
    writeFileSync(file('changed.csr'), der);
    refused(['x509', 'sign', '--key-id', root, '--issuer-cert', file('r.pem'), '--csr', file('changed.csr'), '--days', '1'], 252, /signature does not verify/);
    refused(['x509', 'csr', '--key-id', keyOf('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'), '--subject', 'CN=x'], 254, /UnsupportedOperationException/);
    refused(['x509', 'csr', '--key-id', keyOf('ECC_NIST_P256', 'KEY_AGREEMENT'), '--subject', 'CN=x'], 252, /SIGN_VERIFY key/);
    refused(['x509', 'self-sign', '--key-id', root, '--subject', 'CN=Root', '--days', '30', '-o', file('r.pem')], 252, /exists: give --force/);
  });
});
