import { kms, type KmsInput } from '../lib/api';
import { download } from '../lib/download';
import { base64ToBytes, bytesToBase64, keyValueLines } from '../lib/format';
import type { KeyDetail } from './keyDetail.svelte';
import { pemOf } from './keyUse.svelte';
import { tasks } from './tasks.svelte';

type WrappingAlgorithm = KmsInput<'GetParametersForImport'>['WrappingAlgorithm'];
type WrappingKeySpec = KmsInput<'GetParametersForImport'>['WrappingKeySpec'];
type KeyPairSpec = KmsInput<'GenerateDataKeyPairWithoutPlaintext'>['KeyPairSpec'];

/** The wrapping algorithms offered, first the one for any material (private keys are too long for OAEP alone). */
export const WRAPPING_ALGORITHMS: readonly WrappingAlgorithm[] = ['RSA_AES_KEY_WRAP_SHA_256', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSAES_OAEP_SHA_1', 'SM2PKE'];
/** The wrapping key specs of an algorithm: SM2 for SM2PKE, RSA for the others. */
export function wrappingSpecsOf(algorithm: WrappingAlgorithm): readonly WrappingKeySpec[] {
  return algorithm === 'SM2PKE' ? ['SM2'] : ['RSA_4096', 'RSA_3072', 'RSA_2048'];
}

/** How to wrap material for `algorithm` with openssl, given the downloaded wrapping key (wrapping-key.pem) and the material (material.bin). */
export function opensslSteps(algorithm: WrappingAlgorithm): string {
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (input: string, output: string): string =>
    `openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in ${input} -out ${output} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:${hash} -pkeyopt rsa_mgf1_md:${hash}`;
  if (algorithm === 'SM2PKE') return 'openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in material.bin -out wrapped.bin';
  if (algorithm.startsWith('RSAES')) return oaep('material.bin', 'wrapped.bin');
  return [
    'openssl rand -out aes-key.bin 32',
    oaep('aes-key.bin', 'wrapped-aes-key.bin'),
    'openssl enc -id-aes256-wrap-pad -K "$(xxd -p -c 64 aes-key.bin)" -iv A65959A6 -in material.bin -out wrapped-material.bin',
    'cat wrapped-aes-key.bin wrapped-material.bin > wrapped.bin',
    'shred -u aes-key.bin',
  ].join('\n');
}

/**
 * Importing key material into a key of Origin EXTERNAL, as AWS's
 * documentation walks through it: get a wrapping key and import token, wrap
 * the material outside (openssl), then import the wrapped material. Nothing
 * here is secret: the material is only ever seen wrapped.
 */
export class ImportWizard {
  algorithm = $state<WrappingAlgorithm>('RSA_AES_KEY_WRAP_SHA_256');
  wrappingSpec = $state<WrappingKeySpec>('RSA_4096');
  parameters = $state<{ publicKey: string; token: string; validTo: number | undefined } | undefined>(undefined);
  wrapped = $state<{ name: string; base64: string } | undefined>(undefined);
  expires = $state(false);
  /** The day the material expires, yyyy-mm-dd, when it does. */
  validTo = $state('');

  constructor(readonly key: KeyDetail) {}

  /** A new algorithm takes a wrapping key spec it goes with, and forgets parameters made for another. */
  chooseAlgorithm(): void {
    const specs = wrappingSpecsOf(this.algorithm);
    if (!specs.includes(this.wrappingSpec)) this.wrappingSpec = specs[0] ?? 'RSA_4096';
    this.parameters = undefined;
  }

  async getParameters(): Promise<void> {
    const result = await tasks.run('GetParametersForImport', () => kms('GetParametersForImport', { KeyId: this.key.keyId, WrappingAlgorithm: this.algorithm, WrappingKeySpec: this.wrappingSpec }));
    if (result.ok) this.parameters = { publicKey: result.value.PublicKey ?? '', token: result.value.ImportToken ?? '', validTo: result.value.ParametersValidTo };
  }

  saveWrappingKey(): void {
    if (this.parameters !== undefined) download('wrapping-key.pem', [pemOf(this.parameters.publicKey, 'PUBLIC KEY')], 'application/x-pem-file');
  }

  saveToken(): void {
    if (this.parameters !== undefined) download('import-token.bin', [base64ToBytes(this.parameters.token)], 'application/octet-stream');
  }

  /** Takes the wrapped material from a file the person chose. */
  async choose(file: File | undefined): Promise<void> {
    this.wrapped = file === undefined ? undefined : { name: file.name, base64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) };
  }

  /** Imports the chosen wrapped material with the import token; true when the key took it. */
  async import(): Promise<boolean> {
    if (this.parameters === undefined || this.wrapped === undefined) return false;
    const expiry = this.expires ? { ExpirationModel: 'KEY_MATERIAL_EXPIRES' as const, ValidTo: Date.parse(`${this.validTo}T00:00:00Z`) / 1000 } : { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const };
    const done = await this.key.act('ImportKeyMaterial', { ImportToken: this.parameters.token, EncryptedKeyMaterial: this.wrapped.base64, ...expiry });
    if (done) {
      this.parameters = undefined;
      this.wrapped = undefined;
    }
    return done;
  }

  async deleteMaterial(): Promise<void> {
    await this.key.act('DeleteImportedKeyMaterial', {});
  }
}

/**
 * Data key pairs under a symmetric key: a fresh key pair whose private key
 * comes only encrypted under this key (GenerateDataKeyPairWithoutPlaintext:
 * the private key never reaches this window), with its public key. Decrypt
 * gives the private key where it is used.
 */
export class DataKeyPairs {
  spec = $state<KeyPairSpec>('ECC_NIST_P256');
  /** The encryption context, as key=value lines. */
  context = $state('');
  pair = $state<{ spec: string; publicKey: string; encryptedPrivateKey: string } | undefined>(undefined);

  constructor(readonly keyId: string) {}

  async generate(): Promise<void> {
    const context = Object.fromEntries(keyValueLines(this.context));
    const spec = this.spec;
    const input = { KeyId: this.keyId, KeyPairSpec: spec, ...(Object.keys(context).length > 0 ? { EncryptionContext: context } : {}) };
    const result = await tasks.run('GenerateDataKeyPairWithoutPlaintext', () => kms('GenerateDataKeyPairWithoutPlaintext', input));
    if (result.ok) this.pair = { spec, publicKey: result.value.PublicKey ?? '', encryptedPrivateKey: result.value.PrivateKeyCiphertextBlob ?? '' };
  }

  savePublicKey(): void {
    if (this.pair !== undefined) download(`${this.pair.spec.toLowerCase()}-public.pem`, [pemOf(this.pair.publicKey, 'PUBLIC KEY')], 'application/x-pem-file');
  }

  saveEncryptedPrivateKey(): void {
    if (this.pair !== undefined) download(`${this.pair.spec.toLowerCase()}-private.encrypted`, [base64ToBytes(this.pair.encryptedPrivateKey)], 'application/octet-stream');
  }
}
