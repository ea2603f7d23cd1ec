import { existsSync, rmSync } from 'node:fs';
import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../../src-shared/errors';
import type { RootOfTrustKind } from '../../../src-shared/vault';
import type { PassphraseKdf } from '../../crypto/passphraseKdf';
import { auditObjectId } from '../../hsm/auditKey';
import { checkPinLength, embeddedTokenPaths, provisionEmbeddedToken } from '../../hsm/embedded';
import { externalToken } from '../../hsm/externalToken';
import { loadModule, type LoadedModule } from '../../hsm/module';
import { destroyRootOfTrust, rootObjectId, sealRootKey } from '../../hsm/rootOfTrust';
import { TokenSession, type TokenSelector } from '../../hsm/token';
import type { VaultRecord } from '../../vault/vaultRepo';
import { assertStrongPassphrase, newEmbeddedPin } from './userPin';

/** The token a vault is to use: the embedded SoftHSM2 one in `home`, made now, or an existing one. */
export interface TokenChoice {
  home: string;
  /** The embedded token's passphrase, or the existing token's user PIN. */
  pin: string;
  /** A PKCS#11 module path or RFC 7512 URI; absent for the embedded SoftHSM2 token. */
  pkcs11?: string | undefined;
  /** The token's label: of the embedded token to create, or of the existing token to use. */
  tokenLabel?: string | undefined;
}

/** What the vault record says of its token and of the root key sealed there. */
export type TokenFields = Pick<VaultRecord, 'tokenKind' | 'modulePath' | 'tokenLabel' | 'tokenSerial' | 'rootMechanism' | 'rootObjectId' | 'rootWrapped'>;

/** A token connected for a vault, with a logged-in session. */
export interface NewToken {
  readonly session: TokenSession;
  readonly kind: 'embedded' | 'external';
  readonly modulePath: string | null;
  /** The embedded token's security-officer PIN: shown once, stored nowhere. */
  readonly soPin?: string;
  /** How the embedded token's PIN derives from the passphrase (stored in the vault). */
  readonly passphraseKdf?: PassphraseKdf;
  /**
   * Seals `rootKey` on the token for the vault `vaultId` (creating the
   * root-of-trust key there); a failed {@link close} destroys what it made.
   */
  sealRoot(kind: RootOfTrustKind, vaultId: string, rootKey: Buffer): TokenFields;
  /** Logs out and lets go of the token; when `failed`, first destroys the keys it made and the embedded token it provisioned. */
  close(failed: boolean): void;
}

const EMBEDDED_LABEL = 'Strongroom';

/** True when the token holds a key bound to `vaultId`: its root of trust or its audit key. */
function holdsVaultKeys(session: TokenSession, vaultId: string): boolean {
  const id = rootObjectId(vaultId);
  return [id, auditObjectId(id)].some((value) => session.findObjects([{ type: pkcs11js.CKA_ID, value }], 'looking for keys of this vault').length > 0);
}

/**
 * Connects the token a vault is to use: provisions the embedded SoftHSM2
 * token in `choice.home` (refused when one is there, or the passphrase is
 * easy to guess), or opens the existing token the module path or URI names;
 * then logs in. Nothing is left behind when it fails.
 */
export function connectNewToken(choice: TokenChoice): NewToken {
  const embedded = choice.pkcs11 === undefined;
  const tokenDir = embeddedTokenPaths(choice.home).dir;
  if (embedded) {
    assertStrongPassphrase(choice.pin);
    if (existsSync(tokenDir)) throw new KmsError('VaultAlreadyInitializedException', `${tokenDir} already exists. Move it away if it is not in use, then try again.`);
  }
  let module: LoadedModule | undefined;
  let session: TokenSession | undefined;
  const made: Buffer[] = [];
  try {
    let selector: TokenSelector;
    let modulePath: string | null = null;
    let soPin: string | undefined;
    // The embedded token's PIN is derived from the passphrase; an external token takes the PIN as given.
    const embeddedPin = embedded ? newEmbeddedPin(choice.pin) : undefined;
    const tokenPin = embeddedPin?.pin ?? choice.pin;
    if (embedded) {
      const label = choice.tokenLabel ?? EMBEDDED_LABEL;
      ({ module, soPin } = provisionEmbeddedToken(choice.home, label, tokenPin));
      selector = { label };
    } else {
      const external = externalToken(choice.pkcs11 ?? '', choice.tokenLabel);
      modulePath = external.modulePath;
      selector = external.selector;
      module = loadModule(modulePath);
    }
    const opened = TokenSession.open(module, selector);
    session = opened;
    checkPinLength(tokenPin, opened.token.minPinLength, opened.token.maxPinLength);
    opened.login(tokenPin);
    const held = module;
    return {
      session: opened,
      kind: embedded ? 'embedded' : 'external',
      modulePath,
      ...(soPin === undefined ? {} : { soPin }),
      ...(embeddedPin === undefined ? {} : { passphraseKdf: embeddedPin.kdf }),
      sealRoot(kind, vaultId, rootKey) {
        if (holdsVaultKeys(opened, vaultId)) {
          throw new KmsError('VaultAlreadyInitializedException', `The token "${opened.token.label}" already holds keys of vault ${vaultId}. Choose another token, or destroy those keys first.`);
        }
        made.push(rootObjectId(vaultId));
        const sealed = sealRootKey(opened, kind, vaultId, rootKey);
        return {
          tokenKind: embedded ? 'embedded' : 'external',
          modulePath,
          tokenLabel: opened.token.label,
          tokenSerial: opened.token.serial,
          rootMechanism: sealed.mechanism,
          rootObjectId: sealed.objectId,
          rootWrapped: sealed.wrapped,
        };
      },
      close(failed) {
        try {
          if (failed) for (const objectId of made) {
            destroyRootOfTrust(opened, objectId);
            destroyRootOfTrust(opened, auditObjectId(objectId));
          }
        } finally {
          opened.close();
          held.release();
          if (failed && embedded) rmSync(tokenDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    session?.close();
    module?.release();
    if (embedded) rmSync(tokenDir, { recursive: true, force: true });
    throw error;
  }
}
