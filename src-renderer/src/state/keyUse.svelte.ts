import { kms } from '../lib/api';
import { download } from '../lib/download';
import { base64ToBytes, bytesToBase64, textToBase64 } from '../lib/format';
import { tasks } from './tasks.svelte';

/** A DER blob (base64) as PEM text under `label`. */
export function pemOf(base64: string, label: string): string {
  return `-----BEGIN ${label}-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

/** How WebCrypto imports the public key of each key spec it knows (secp256k1, ML-DSA and SM2 it does not). */
const WEBCRYPTO_IMPORT: Readonly<Record<string, RsaHashedImportParams | EcKeyImportParams | Algorithm>> = {
  RSA_2048: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RSA_3072: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RSA_4096: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ECC_NIST_P256: { name: 'ECDSA', namedCurve: 'P-256' },
  ECC_NIST_P384: { name: 'ECDSA', namedCurve: 'P-384' },
  ECC_NIST_P521: { name: 'ECDSA', namedCurve: 'P-521' },
  ECC_NIST_EDWARDS25519: { name: 'Ed25519' },
};

const base64url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The JWK members of the specs WebCrypto does not import, from the key bytes at the end of the SubjectPublicKeyInfo: secp256k1 (RFC 8812) and ML-DSA (the AKP key type of draft-ietf-cose-dilithium). */
const RAW_JWK: Readonly<Record<string, (spki: Uint8Array) => Record<string, string>>> = {
  ECC_SECG_P256K1: (spki) => {
    const point = spki.subarray(spki.length - 65);
    return { kty: 'EC', crv: 'secp256k1', x: base64url(point.subarray(1, 33)), y: base64url(point.subarray(33)) };
  },
  ML_DSA_44: (spki) => ({ kty: 'AKP', alg: 'ML-DSA-44', pub: base64url(spki.subarray(spki.length - 1312)) }),
  ML_DSA_65: (spki) => ({ kty: 'AKP', alg: 'ML-DSA-65', pub: base64url(spki.subarray(spki.length - 1952)) }),
  ML_DSA_87: (spki) => ({ kty: 'AKP', alg: 'ML-DSA-87', pub: base64url(spki.subarray(spki.length - 2592)) }),
};

/** An asymmetric key's public key (DER SubjectPublicKeyInfo, as base64), loaded for its tab, and its downloads. */
export class PublicKeyView {
  der = $state<string | undefined>(undefined);
  readonly pem = $derived(this.der === undefined ? undefined : pemOf(this.der, 'PUBLIC KEY'));

  constructor(
    readonly keyId: string,
    readonly keySpec: string,
  ) {}

  /** Whether the public key can be given as a JWK (RFC 7517): every spec but SM2, which has none. */
  get hasJwk(): boolean {
    return this.keySpec in WEBCRYPTO_IMPORT || this.keySpec in RAW_JWK;
  }

  /** Offers the public key as `<key id>.jwk.json`: its key members only, with the key id as `kid`. */
  async saveJwk(): Promise<void> {
    if (this.der === undefined) return;
    const members = await this.jwkMembers(base64ToBytes(this.der));
    if (members === undefined) return;
    const jwk = { ...members, kid: this.keyId };
    download(`${this.keyId}.jwk.json`, [`${JSON.stringify(jwk, null, 2)}\n`]);
  }

  /** The key members of the JWK: WebCrypto's export where it imports the spec, else read from the SubjectPublicKeyInfo. */
  private async jwkMembers(spki: Uint8Array<ArrayBuffer>): Promise<Record<string, string> | undefined> {
    const raw = RAW_JWK[this.keySpec];
    if (raw !== undefined) return raw(spki);
    const algorithm = WEBCRYPTO_IMPORT[this.keySpec];
    if (algorithm === undefined) return undefined;
    const { kty, crv, x, y, n, e } = await crypto.subtle.exportKey('jwk', await crypto.subtle.importKey('spki', spki, algorithm, true, ['verify']));
    return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  async load(): Promise<void> {
    const result = await tasks.run('GetPublicKey', () => kms('GetPublicKey', { KeyId: this.keyId }));
    if (result.ok) this.der = result.value.PublicKey;
  }

  /** Offers the public key as `<key id>.pem` or `.der`. */
  save(format: 'pem' | 'der'): void {
    if (this.der === undefined) return;
    if (format === 'pem') download(`${this.keyId}.pem`, [this.pem ?? ''], 'application/x-pem-file');
    else download(`${this.keyId}.der`, [base64ToBytes(this.der)], 'application/pkix-spki');
  }
}

/** What a check of a signature or MAC found: valid, or not (the core's words), or nothing checked yet. */
export type Check = { valid: true } | { valid: false; message: string } | undefined;

/**
 * Signing and verifying (or making and checking MACs) with one key: the
 * message typed in, the algorithm, the signature made or given, and what the
 * last check found. Nothing here is secret: a signature and a MAC are made
 * to be shown; the message lives only while the tab does.
 */
export class Signer {
  message = $state('');
  algorithm = $state('');
  signature = $state('');
  check = $state<Check>(undefined);

  constructor(
    readonly keyId: string,
    readonly kind: 'signature' | 'mac',
  ) {}

  /** Signs (or MACs) the message as UTF-8 text; the result replaces the signature field. */
  async sign(): Promise<void> {
    const Message = textToBase64(this.message);
    this.check = undefined;
    const result =
      this.kind === 'signature'
        ? await tasks.run('Sign', async () => (await kms('Sign', { KeyId: this.keyId, Message, SigningAlgorithm: this.algorithm as never })).Signature)
        : await tasks.run('GenerateMac', async () => (await kms('GenerateMac', { KeyId: this.keyId, Message, MacAlgorithm: this.algorithm as never })).Mac);
    if (result.ok) this.signature = result.value ?? '';
  }

  /** Checks the signature (or MAC) field against the message. */
  async verify(): Promise<void> {
    const Message = textToBase64(this.message);
    const given = this.signature.replace(/\s+/g, '');
    const result =
      this.kind === 'signature'
        ? await tasks.run('Verify', () => kms('Verify', { KeyId: this.keyId, Message, Signature: given, SigningAlgorithm: this.algorithm as never }))
        : await tasks.run('VerifyMac', () => kms('VerifyMac', { KeyId: this.keyId, Message, Mac: given, MacAlgorithm: this.algorithm as never }));
    const invalid = result.ok ? undefined : result.error;
    if (invalid === undefined) this.check = { valid: true };
    else if (invalid.type === 'KMSInvalidSignatureException' || invalid.type === 'KMSInvalidMacException' || invalid.type === 'ValidationException') this.check = { valid: false, message: invalid.message };
  }
}
