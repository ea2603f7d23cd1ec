import * as pkcs11js from 'pkcs11js';
import { KmsError } from '../../src-shared/errors';
import { pinLocked, tokenFailure } from './errors';
import type { LoadedModule } from './module';
import { TPM_WRONG_PIN_NOTE, tpmLockedOut } from './tpm';

/** What Strongroom shows and stores about a token; nothing secret. */
export interface TokenDescription {
  slotId: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  minPinLength: number;
  maxPinLength: number;
  initialized: boolean;
  pinLocked: boolean;
  /** The token has its own random number generator (CKF_RNG). */
  hasRng: boolean;
}

/** How to pick a token: every one of these that is given must match (a PKCS#11 URI's token, serial, manufacturer, model, slot-id). */
export interface TokenSelector {
  label?: string;
  serial?: string;
  manufacturer?: string;
  model?: string;
  slotId?: number;
}

/** Slot and token flags that pkcs11js does not declare. */
const CKF_TOKEN_PRESENT = 0x00000001; // slot
const CKF_RNG = 0x00000001; // token
const CKF_USER_PIN_LOCKED = 0x00040000;
const CKF_USER_PIN_FINAL_TRY = 0x00020000;
/** Session states of a user who is logged in (PKCS#11's CKS_RO_USER_FUNCTIONS, CKS_RW_USER_FUNCTIONS), which pkcs11js does not declare. */
const USER_SESSION_STATES: ReadonlySet<number> = new Set([1, 3]);

function trimPadded(text: string): string {
  return text.replace(/[\0 ]+$/, '');
}

/** Pads a token label to the 32 blanks-padded bytes PKCS#11 wants; refuses a longer one. */
export function paddedLabel(label: string): string {
  if (Buffer.byteLength(label) > 32) throw new KmsError('ValidationException', `The token label "${label}" is longer than 32 bytes.`);
  return label + ' '.repeat(32 - Buffer.byteLength(label));
}

function describe(lib: pkcs11js.PKCS11, slot: pkcs11js.Handle): TokenDescription {
  const info = lib.C_GetTokenInfo(slot);
  return {
    slotId: slot.readBigUInt64LE(0).toString(),
    label: trimPadded(info.label),
    serial: trimPadded(info.serialNumber),
    manufacturer: trimPadded(info.manufacturerID),
    model: trimPadded(info.model),
    minPinLength: info.minPinLen,
    maxPinLength: info.maxPinLen,
    initialized: (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
    pinLocked: (info.flags & CKF_USER_PIN_LOCKED) !== 0,
    hasRng: (info.flags & CKF_RNG) !== 0,
  };
}

/** Every slot with a token present, described. */
export function listTokens(module: LoadedModule): { slot: pkcs11js.Handle; token: TokenDescription }[] {
  try {
    return module.lib.C_GetSlotList(true).map((slot) => ({ slot, token: describe(module.lib, slot) }));
  } catch (error) {
    throw tokenFailure(error, 'listing the tokens');
  }
}

function matches(token: TokenDescription, selector: TokenSelector): boolean {
  return (
    (selector.label === undefined || token.label === selector.label) &&
    (selector.serial === undefined || token.serial === selector.serial) &&
    (selector.manufacturer === undefined || token.manufacturer === selector.manufacturer) &&
    (selector.model === undefined || token.model === selector.model) &&
    (selector.slotId === undefined || token.slotId === String(selector.slotId))
  );
}

const SELECTOR_NAMES: Record<keyof TokenSelector, string> = { label: 'label', serial: 'serial', manufacturer: 'manufacturer', model: 'model', slotId: 'slot-id' };

function wanted(selector: TokenSelector): string {
  return Object.entries(selector).map(([k, v]) => `${SELECTOR_NAMES[k as keyof TokenSelector]} "${String(v)}"`).join(', ') || 'any token';
}

function listed(tokens: TokenDescription[]): string {
  return tokens.map((t) => `"${t.label}" (serial ${t.serial})`).join(', ') || 'none';
}

function noToken(module: LoadedModule, selector: TokenSelector, present: TokenDescription[]): KmsError {
  return new KmsError('TokenNotFoundException', `No token with ${wanted(selector)} in ${module.path}. Tokens present: ${listed(present)}.`);
}

/** The one initialized token that matches every attribute `selector` gives; TokenNotFoundException naming what is there otherwise. */
export function findToken(module: LoadedModule, selector: TokenSelector): { slot: pkcs11js.Handle; token: TokenDescription } {
  const all = listTokens(module).filter((t) => t.token.initialized);
  const [found, ...more] = all.filter((t) => matches(t.token, selector));
  const present = all.map((t) => t.token);
  if (found === undefined) throw noToken(module, selector, present);
  if (more.length > 0) {
    throw new KmsError('TokenNotFoundException', `More than one token matches ${wanted(selector)} (${listed(present)}); name it by serial as well.`);
  }
  return found;
}

/**
 * An open read-write session with one token. Every call goes through
 * {@link TokenSession.call}, which turns PKCS#11 failures into KmsErrors.
 */
export class TokenSession {
  private closed = false;

  private constructor(
    readonly module: LoadedModule,
    readonly slot: pkcs11js.Handle,
    readonly handle: pkcs11js.Handle,
    readonly token: TokenDescription,
  ) {}

  /** Opens a read-write session with the token that matches `selector`. */
  static open(module: LoadedModule, selector: TokenSelector): TokenSession {
    const { slot, token } = findToken(module, selector);
    try {
      const handle = module.lib.C_OpenSession(slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
      return new TokenSession(module, slot, handle, token);
    } catch (error) {
      throw tokenFailure(error, 'opening a session');
    }
  }

  /** Runs one or more PKCS#11 calls on this session, translating failures; `action` names them for the message. */
  call<T>(action: string, fn: (lib: pkcs11js.PKCS11, session: pkcs11js.Handle) => T): T {
    if (this.closed) throw new KmsError('VaultLockedException', `The token session is closed; cannot continue ${action}.`);
    try {
      return fn(this.module.lib, this.handle);
    } catch (error) {
      throw this.failure(error, action);
    }
  }

  /** {@link tokenFailure}, with a TPM's own advice where its dictionary-attack lockout is what refused. */
  private failure(error: unknown, action: string): KmsError {
    const failure = tokenFailure(error, action);
    if (!this.module.isTpm) return failure;
    if (failure.type === 'PinLockedException') return tpmLockedOut();
    if (failure.type === 'IncorrectPinException') return new KmsError('IncorrectPinException', `${failure.message} ${TPM_WRONG_PIN_NOTE}`);
    return failure;
  }

  /** Logs in as the user; a wrong PIN says how many tries the token reports left. */
  login(pin: string): void {
    const flags = (): number => this.call('logging in', (lib) => lib.C_GetTokenInfo(this.slot).flags);
    if ((flags() & CKF_USER_PIN_LOCKED) !== 0) throw pinLocked();
    try {
      this.module.lib.C_Login(this.handle, pkcs11js.CKU_USER, pin);
    } catch (error) {
      const failure = this.failure(error, 'logging in');
      if (failure.type === 'IncorrectPinException' && (flags() & CKF_USER_PIN_FINAL_TRY) !== 0) {
        throw new KmsError('IncorrectPinException', 'The PIN is incorrect. The token allows one more try before it locks the PIN.');
      }
      throw failure;
    }
  }

  /** Whether the user is logged in to the token (in this process, from this session or another: PKCS#11 logins are per application). */
  isLoggedIn(): boolean {
    return USER_SESSION_STATES.has(this.call('reading the session state', (lib, session) => lib.C_GetSessionInfo(session).state));
  }

  /** Changes the user PIN; the session must be logged in. */
  setPin(oldPin: string, newPin: string): void {
    this.call('changing the PIN', (lib, session) => {
      lib.C_SetPIN(session, oldPin, newPin);
    });
  }

  /** Logs in as the security officer, sets a new user PIN (which also unblocks one the token locked), and logs out. */
  resetUserPin(soPin: string, newPin: string): void {
    this.call('logging in as security officer', (lib, session) => {
      lib.C_Login(session, pkcs11js.CKU_SO, soPin);
    });
    try {
      this.call('setting the user PIN', (lib, session) => {
        lib.C_InitPIN(session, newPin);
      });
    } finally {
      this.call('logging out', (lib, session) => {
        lib.C_Logout(session);
      });
    }
  }

  /** Handles of the objects that match `template`. */
  findObjects(template: pkcs11js.Template, action: string): pkcs11js.Handle[] {
    return this.call(action, (lib, session) => {
      lib.C_FindObjectsInit(session, template);
      try {
        return lib.C_FindObjects(session, 16);
      } finally {
        lib.C_FindObjectsFinal(session);
      }
    });
  }

  /** Fills a new buffer with `length` bytes from the token's random generator. */
  random(length: number): Buffer {
    return this.call('generating random bytes', (lib, session) => lib.C_GenerateRandom(session, Buffer.alloc(length)));
  }

  /**
   * True while the token is present and this session still open. Where the
   * token has a random generator, one byte is asked of the device itself:
   * some modules (tpm2-pkcs11) answer C_GetSessionInfo and C_GetSlotInfo from
   * memory, so only a call that reaches the device notices that it is gone.
   */
  isAlive(): boolean {
    if (this.closed) return false;
    try {
      if (this.token.hasRng) this.module.lib.C_GenerateRandom(this.handle, Buffer.alloc(1));
      else this.module.lib.C_GetSessionInfo(this.handle);
      return (this.module.lib.C_GetSlotInfo(this.slot).flags & CKF_TOKEN_PRESENT) !== 0;
    } catch {
      return false;
    }
  }

  /** Logs out (if logged in) and closes the session; never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.module.lib.C_Logout(this.handle);
    } catch {
      // Not logged in, or the token is gone: nothing to undo.
    }
    try {
      this.module.lib.C_CloseSession(this.handle);
    } catch {
      // The session is already gone with the token.
    }
  }
}

/** The tokens a module offers that match `selector` (all of them for an empty one), as the CLI and the interface show them (nothing secret); TokenNotFoundException when a selector matches none. */
export function describeTokens(module: LoadedModule, selector: TokenSelector = {}): {
  SlotId: string; Label: string; Serial: string; Manufacturer: string; Model: string; Initialized: boolean; PinLocked: boolean; MinPinLength: number; MaxPinLength: number;
}[] {
  const all = listTokens(module).map((t) => t.token);
  const selected = all.filter((token) => matches(token, selector));
  if (selected.length === 0 && Object.keys(selector).length > 0) throw noToken(module, selector, all);
  return selected.map((token) => ({
    SlotId: token.slotId,
    Label: token.label,
    Serial: token.serial,
    Manufacturer: token.manufacturer,
    Model: token.model,
    Initialized: token.initialized,
    PinLocked: token.pinLocked,
    MinPinLength: token.minPinLength,
    MaxPinLength: token.maxPinLength,
  }));
}
