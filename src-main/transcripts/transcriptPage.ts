/** A signed ceremony transcript as SignCeremonyTranscript returns it. */
export interface SignedTranscript {
  readonly Transcript: string;
  readonly TranscriptSha256: string;
  readonly Signature: string;
  readonly SignatureAlgorithm: string;
  readonly AuditPublicKey: string;
}

/** What a transcript's text says. */
export interface TranscriptBody {
  Ceremony: string;
  VaultId: string;
  AccountId: string;
  Region: string;
  Participants: { Name: string; Role: string }[];
  Steps: { At: string; Step: string }[];
  Facts: Record<string, string>;
  AuditHead: { Sequence: number; ChainHash: string };
  SignedAt: string;
}

/** The transcript's text, read. */
export function transcriptBody(signed: SignedTranscript): TranscriptBody {
  return JSON.parse(signed.Transcript) as TranscriptBody;
}

/** The command that checks a transcript's signature, as the page and the PDF say it. */
export const VERIFY_COMMAND = 'openssl dgst -sha256 -verify audit.pem -signature transcript.sig transcript.txt';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/**
 * A printable page of a signed transcript (one HTML file, no script, no
 * outside resource): the ceremony, vault, participants with a line each to
 * sign by hand, the steps with their times, the facts, the audit chain head
 * it is chained to, and the signature with the key and the command that
 * checks it.
 */
export function transcriptPage(signed: SignedTranscript): string {
  const t = transcriptBody(signed);
  const rows = (pairs: [string, string][]): string => pairs.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Strongroom ceremony: ${escape(t.Ceremony)} — ${escape(t.SignedAt)}</title>
<style>body{font:11pt/1.45 system-ui,sans-serif;max-width:48rem;margin:2rem auto;color:#111}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}th{width:14rem;background:#f2f2f2}code,pre{font:9pt ui-monospace,monospace;word-break:break-all;white-space:pre-wrap}.sign{height:2.5rem}</style>
</head><body>
<h1>Ceremony: ${escape(t.Ceremony)}</h1>
<table>${rows([['Vault', t.VaultId], ['Account, Region', `${t.AccountId}, ${t.Region}`], ['Signed', t.SignedAt], ['Audit chain head', `record ${String(t.AuditHead.Sequence)}, ${t.AuditHead.ChainHash}`]])}</table>
<h2>Participants</h2>
<table><tr><th>Name</th><th>Role</th><th>Signature</th></tr>
${t.Participants.map((p) => `<tr><td>${escape(p.Name)}</td><td>${escape(p.Role)}</td><td class="sign"></td></tr>`).join('\n')}</table>
<h2>Steps</h2>
<table><tr><th>When</th><th>What</th></tr>
${t.Steps.map((s) => `<tr><td>${escape(s.At)}</td><td>${escape(s.Step)}</td></tr>`).join('\n')}</table>
<h2>Facts</h2>
<table>${rows(Object.entries(t.Facts))}</table>
<h2>Signature</h2>
<p>${escape(signed.SignatureAlgorithm)} by the vault's audit key over the transcript's exact text (SHA-256 ${escape(signed.TranscriptSha256)}); the audit log's CeremonyTranscript record holds the same SHA-256. Check it with <code>${VERIFY_COMMAND}</code>.</p>
<pre>${escape(signed.Signature)}</pre>
<pre>${escape(signed.AuditPublicKey)}</pre>
</body></html>
`;
}
