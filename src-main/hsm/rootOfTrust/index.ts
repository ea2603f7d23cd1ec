import * as pkcs11js from 'pkcs11js';
import { assertNever } from '../../../src-shared/brand';
import { KmsError } from '../../../src-shared/errors';
import type { RootMechanism, RootOfTrustKind } from '../../../src-shared/vault';
import type { TokenSession } from '../token';
import { createAesKek, unwrapWithAesKek } from './aesKek';
import { createRsaKeyPair, unwrapWithRsaKey } from './rsaKeyPair';


/** The root key as the vault stores it: wrapped, with the id of the token object that unwraps it. */
export interface SealedRootKey {
  mechanism: RootMechanism;
  objectId: Buffer;
  wrapped: Buffer;
}

/** The token object id that binds a root-of-trust key to a vault: the vault UUID's 16 bytes. */
export function rootObjectId(vaultId: string): Buffer {
  return Buffer.from(vaultId.replaceAll('-', ''), 'hex');
}

function rootLabel(vaultId: string): string {
  return `strongroom root ${vaultId}`;
}

/** Associated data for the AES-GCM wrap: binds the wrapped key to its vault. */
function rootAad(vaultId: string): Buffer {
  return Buffer.from(`strongroom root key v1\0${vaultId}`, 'utf8');
}

/** Creates the root-of-trust key(s) on the token and returns the root key sealed under them. */
export function sealRootKey(session: TokenSession, kind: RootOfTrustKind, vaultId: string, rootKey: Buffer): SealedRootKey {
  const objectId = rootObjectId(vaultId);
  switch (kind) {
    case 'aes':
      return { mechanism: 'aes-gcm', objectId, wrapped: createAesKek(session, objectId, rootLabel(vaultId), rootKey, rootAad(vaultId)) };
    case 'rsa': {
      const { hash, wrapped } = createRsaKeyPair(session, objectId, rootLabel(vaultId), rootKey);
      return { mechanism: `rsa-oaep-${hash}`, objectId, wrapped };
    }
    default:
      return assertNever(kind, 'root of trust');
  }
}

function findKey(session: TokenSession, objectClass: number, objectId: Buffer, vaultId: string): pkcs11js.Handle {
  const [handle] = session.findObjects(
    [
      { type: pkcs11js.CKA_CLASS, value: objectClass },
      { type: pkcs11js.CKA_ID, value: objectId },
    ],
    'looking for the root-of-trust key',
  );
  if (handle === undefined) {
    throw new KmsError(
      'RootOfTrustNotFoundException',
      `The token "${session.token.label}" holds no Strongroom key for vault ${vaultId}. Was this vault created on another token?`,
    );
  }
  return handle;
}

/** Decrypts the vault root key on the token. The caller owns the returned buffer and zeroizes it. */
export function unsealRootKey(session: TokenSession, sealed: SealedRootKey, vaultId: string): Buffer {
  switch (sealed.mechanism) {
    case 'aes-gcm':
      return unwrapWithAesKek(session, findKey(session, pkcs11js.CKO_SECRET_KEY, sealed.objectId, vaultId), sealed.wrapped, rootAad(vaultId));
    case 'rsa-oaep-sha256':
    case 'rsa-oaep-sha1': {
      const hash = sealed.mechanism === 'rsa-oaep-sha256' ? 'sha256' : 'sha1';
      return unwrapWithRsaKey(session, findKey(session, pkcs11js.CKO_PRIVATE_KEY, sealed.objectId, vaultId), hash, sealed.wrapped);
    }
    default:
      return assertNever(sealed.mechanism, 'root mechanism');
  }
}

/** Destroys every token object bound to `objectId` (used to undo a failed init); never throws. */
export function destroyRootOfTrust(session: TokenSession, objectId: Buffer): void {
  try {
    for (const handle of session.findObjects([{ type: pkcs11js.CKA_ID, value: objectId }], 'removing the root-of-trust key')) {
      session.call('removing the root-of-trust key', (lib, h) => {
        lib.C_DestroyObject(h, handle);
      });
    }
  } catch {
    // Best effort: the token may already be gone.
  }
}
