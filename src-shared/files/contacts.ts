import { z } from 'zod';

/**
 * Strongroom's own operations on contacts: the people files are encrypted
 * for, each a named public key. Their IAM actions are `strongroom:…`.
 */

const name = z.string().min(1).max(64).regex(/^[\w .@+=,-]+$/, 'a name: letters, digits, spaces and . @ + = , _ -');
const Contact = z.strictObject({
  Name: z.string(),
  /** rsa and ec: a public key for Encryption SDK messages; age: an age recipient, for age files. */
  Kind: z.enum(['rsa', 'ec', 'age']),
  /** An RSA or EC key as PEM (SubjectPublicKeyInfo); an age recipient as itself. */
  PublicKey: z.string(),
  Fingerprint: z.string(),
  Description: z.string(),
  CreationDate: z.number(),
});

export const CONTACT_OPERATIONS = {
  /** Keeps a public key under a name: PEM or base64 DER (SubjectPublicKeyInfo or X.509 certificate), a JWK, or an age recipient. */
  CreateContact: {
    input: z.strictObject({ Name: name, PublicKey: z.string().min(1).max(65_536), Description: z.string().max(8192).optional() }),
    output: z.strictObject({ Contact }),
  },
  ListContacts: { input: z.strictObject({}), output: z.strictObject({ Contacts: z.array(Contact) }) },
  DeleteContact: { input: z.strictObject({ Name: name }), output: z.strictObject({}) },
} as const;

export type ContactOperationName = keyof typeof CONTACT_OPERATIONS;
