import { createHash, createPublicKey } from 'node:crypto';
import { chainHead } from '../../audit/checkpointer';
import { declare } from '../pipeline/declaration';

/**
 * SignCeremonyTranscript: the transcript as exact JSON text (ceremony,
 * vault, participants, steps, facts, the audit chain's head, when), signed
 * (SHA-256) by the vault's audit key on the token, which `openssl dgst
 * -sha256 -verify` checks. Its record holds the transcript's SHA-256.
 */
export const signCeremonyTranscript = declare({
  name: 'SignCeremonyTranscript',
  action: 'strongroom:SignCeremonyTranscript',
  kind: 'change',
  recordedResponse: ({ TranscriptSha256 }) => ({ TranscriptSha256 }),
  handler: (ctx, request) => {
    const { record } = ctx.vault;
    const head = chainHead(ctx.vault.db); // covers the ceremony's own records
    const transcript = JSON.stringify({
      Format: 'strongroom-ceremony-transcript',
      Version: 1,
      Ceremony: request.Ceremony,
      VaultId: record.vaultId,
      AccountId: record.accountId,
      Region: record.region,
      Participants: request.Participants,
      Steps: request.Steps,
      Facts: request.Facts,
      AuditHead: { Sequence: head.seq, ChainHash: head.hash },
      SignedAt: new Date().toISOString(),
    }, null, 2);
    const signed = ctx.vault.signWithAuditKey(Buffer.from(transcript, 'utf8'));
    return {
      Transcript: transcript,
      TranscriptSha256: createHash('sha256').update(transcript).digest('hex'),
      Signature: signed.signature.toString('base64'),
      SignatureAlgorithm: signed.mechanism === 'ecdsa-p256-sha256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256',
      AuditPublicKey: createPublicKey({ key: signed.publicKey, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString(),
    };
  },
});
