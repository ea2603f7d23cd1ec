import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import type { GlobalOptions } from '../globalOptions';
import { UsageError } from '../output';
import { expandPath, integer } from '../requestOptions';
import { withKms, type Kms } from '../kmsCalls';
import { pem, type ToSign } from '../../x509/build';
import { csrPlan, issuedPlan, selfSignedPlan, type SigningKey } from '../../x509/plans';

interface Flags {
  keyId: string;
  subject?: string;
  san?: string;
  days?: string;
  ca?: boolean;
  issuerCert?: string;
  csr?: string;
  signingAlgorithm?: string;
  out?: string;
  force?: boolean;
}

/** The PEM of what `plan` makes from the key's GetPublicKey answer, signed by the key with KMS Sign. */
async function signed(kms: Kms, keyId: string, label: string, plan: (key: SigningKey) => ToSign): Promise<string> {
  const { tbs, algorithm, finish } = plan(await kms('GetPublicKey', { KeyId: keyId }));
  const { Signature } = await kms('Sign', { KeyId: keyId, Message: tbs.toString('base64'), MessageType: 'RAW', SigningAlgorithm: algorithm });
  return pem(label, finish(Buffer.from(String(Signature), 'base64')));
}

/** Writes PEM to standard output, or to FILE (atomically: a temporary file renamed over it); an existing FILE only with --force. */
function output(text: string, flags: Flags): void {
  if (flags.out === undefined) {
    process.stdout.write(text);
    return;
  }
  const path = expandPath(flags.out);
  if (existsSync(path) && flags.force !== true) throw new UsageError(`${path} exists: give --force to replace it`);
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
}

function days(flags: Flags): number {
  return integer(flags.days ?? '', '--days');
}

function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(expandPath(path));
  } catch {
    throw new UsageError(`${what} ${path} cannot be read`);
  }
}

const common = (command: Command): Command =>
  command
    .requiredOption('--key-id <id>', 'the KMS key that signs (key id, ARN or alias): a SIGN_VERIFY key')
    .option('--signing-algorithm <algorithm>', 'the KMS signing algorithm (default: RSASSA_PKCS1_V1_5_SHA_256 for RSA, the curve’s ECDSA, ED25519_SHA_512, ML_DSA_SHAKE_256)')
    .option('-o, --out <file>', 'write the PEM to this file (written whole or not at all) instead of standard output')
    .option('--force', 'replace --out when it exists');

/**
 * `strongroom x509`: certificate requests and certificates signed by KMS
 * keys (the private key never leaves the vault or token: each signature is
 * a KMS Sign, authorized and audited like any other).
 */
export function x509Command(globals: () => GlobalOptions): Command {
  const x509 = new Command('x509').description('Certificates signed by KMS keys: requests (PKCS #10), self-signed roots, and certificates issued from requests. PEM out.');
  common(x509.command('csr').description('A PKCS #10 certificate request for the KMS key, signed by it.'))
    .requiredOption('--subject <name>', 'the subject, e.g. "CN=signer.example,O=Example,C=SE"')
    .option('--san <names>', 'subject alternative names, e.g. DNS:signer.example,IP:10.0.0.1,email:pki@example')
    .action(async (flags: Flags) => {
      const asked = { keyId: flags.keyId, signingAlgorithm: flags.signingAlgorithm, subject: flags.subject ?? '', san: flags.san };
      output(await withKms(globals(), 'GetPublicKey', (kms) => signed(kms, flags.keyId, 'CERTIFICATE REQUEST', (key) => csrPlan(key, asked))), flags);
    });
  common(x509.command('self-sign').description('A self-signed certificate for the KMS key: a root CA with --ca.'))
    .requiredOption('--subject <name>', 'the subject and issuer, e.g. "CN=Example Root CA,O=Example,C=SE"')
    .requiredOption('--days <n>', 'how many days it is valid, from now')
    .option('--ca', 'a CA certificate (basicConstraints CA:TRUE; keyCertSign, cRLSign)')
    .option('--san <names>', 'subject alternative names, e.g. DNS:signer.example')
    .action(async (flags: Flags) => {
      const asked = { keyId: flags.keyId, signingAlgorithm: flags.signingAlgorithm, subject: flags.subject ?? '', san: flags.san, days: days(flags), ca: flags.ca === true };
      output(await withKms(globals(), 'GetPublicKey', (kms) => signed(kms, flags.keyId, 'CERTIFICATE', (key) => selfSignedPlan(key, asked))), flags);
    });
  common(x509.command('sign').description('Issues a certificate for a PKCS #10 request, signed by the KMS key of the issuer certificate.'))
    .requiredOption('--issuer-cert <file>', 'the certificate of the issuing KMS key (PEM or DER)')
    .requiredOption('--csr <file>', 'the certificate request (PEM or DER); its signature is checked first')
    .requiredOption('--days <n>', 'how many days it is valid, from now')
    .option('--ca', 'an intermediate CA certificate (basicConstraints CA:TRUE; keyCertSign, cRLSign)')
    .action(async (flags: Flags) => {
      const asked = { keyId: flags.keyId, signingAlgorithm: flags.signingAlgorithm, issuerCert: readInput(flags.issuerCert ?? '', '--issuer-cert'), csr: readInput(flags.csr ?? '', '--csr'), days: days(flags), ca: flags.ca === true };
      output(await withKms(globals(), 'GetPublicKey', (kms) => signed(kms, flags.keyId, 'CERTIFICATE', (key) => issuedPlan(key, asked))), flags);
    });
  return x509;
}
