import { call } from '../lib/api';
import { download } from '../lib/download';
import { tasks } from './tasks.svelte';

/** What the certificate tools make: a request for this key, a self-signed certificate, or a certificate this key issues for someone's request. */
export type CertificateKind = 'csr' | 'self-signed' | 'issued';

/**
 * The certificate tools of a signing key: each signature is a KMS Sign by
 * the key, made in the core (`x509:make`); the private key never leaves the
 * vault or token. What is typed here and made is public: names and
 * certificates.
 */
export class CertificateMaker {
  kind = $state<CertificateKind>('csr');
  subject = $state('CN=');
  san = $state('');
  days = $state(365);
  ca = $state(false);
  /** The signing algorithm; empty for the key spec's default. */
  algorithm = $state('');
  issuerCert = $state<{ name: string; text: string } | undefined>(undefined);
  csr = $state<{ name: string; text: string } | undefined>(undefined);
  pem = $state<string | undefined>(undefined);

  constructor(readonly keyId: string) {}

  /** Takes a PEM (or DER) file the person chose, as the issuer's certificate or the request. */
  async choose(which: 'issuerCert' | 'csr', file: File | undefined): Promise<void> {
    this[which] = file === undefined ? undefined : { name: file.name, text: await file.text() };
    this.pem = undefined;
  }

  get ready(): boolean {
    if (this.kind === 'issued') return this.issuerCert !== undefined && this.csr !== undefined;
    return this.subject.trim() !== '' && this.subject.trim() !== 'CN=';
  }

  async make(): Promise<void> {
    const keyId = this.keyId;
    const signingAlgorithm = this.algorithm === '' ? {} : { signingAlgorithm: this.algorithm };
    const request =
      this.kind === 'csr'
        ? { kind: 'csr' as const, keyId, subject: this.subject, san: this.san, ...signingAlgorithm }
        : this.kind === 'self-signed'
          ? { kind: 'self-signed' as const, keyId, subject: this.subject, san: this.san, days: this.days, ca: this.ca, ...signingAlgorithm }
          : { kind: 'issued' as const, keyId, issuerCert: this.issuerCert?.text ?? '', csr: this.csr?.text ?? '', days: this.days, ca: this.ca, ...signingAlgorithm };
    this.pem = undefined;
    const result = await tasks.run('x509:make', () => call('x509:make', request));
    if (result.ok) this.pem = result.value.pem;
  }

  /** Offers what was made as a .csr or .pem file. */
  save(): void {
    if (this.pem !== undefined) download(this.kind === 'csr' ? `${this.keyId}.csr` : `${this.keyId}-${this.kind}.pem`, [this.pem], 'application/x-pem-file');
  }
}
