import { basename } from 'node:path';
import { KmsError } from '../../src-shared/errors';

/** The manufacturerID that tpm2-pkcs11 gives in C_GetInfo: the module says itself that its tokens live on a TPM. */
const TPM2_PKCS11_MANUFACTURER = 'tpm2-software.github.io';

/** True when the module's own C_GetInfo manufacturerID says it is tpm2-pkcs11. */
export function isTpm2Pkcs11(libraryManufacturer: string): boolean {
  return libraryManufacturer === TPM2_PKCS11_MANUFACTURER;
}

/** True when the module file is named as tpm2-pkcs11 names it (before C_Initialize, the name is all there is). */
export function looksLikeTpm2Pkcs11(path: string): boolean {
  return basename(path).startsWith('libtpm2_pkcs11');
}

/** What to check when tpm2-pkcs11 cannot initialize. */
export const TPM_UNREACHABLE_HINT =
  'tpm2-pkcs11 could not reach the TPM: check that the TPM is there (/dev/tpmrm0) or that tpm2-abrmd is running, and that TPM2_PKCS11_TCTI says how to reach it ("device:/dev/tpmrm0", or "tabrmd" for tpm2-abrmd).';

/** Added to a wrong PIN on a TPM: every failure counts toward a lockout of the whole TPM. */
export const TPM_WRONG_PIN_NOTE =
  "Each wrong PIN counts toward the TPM's dictionary-attack lockout, which locks every PIN-protected key on the TPM.";

/** The error for a TPM in dictionary-attack lockout: no security-officer PIN unblocks it. */
export function tpmLockedOut(): KmsError {
  return new KmsError(
    'PinLockedException',
    "The TPM is in dictionary-attack lockout after too many wrong PINs; it refuses every PIN-protected key, not only this vault's, and the security-officer PIN cannot lift it. Wait until the TPM has forgotten enough failures (one per TPM2_PT_LOCKOUT_INTERVAL seconds, as tpm2_getcap properties-variable shows), or have the TPM's owner clear it with its lockout authorization: tpm2_dictionarylockout --clear-lockout --auth LOCKOUT_AUTH (without --auth when none was set). Then unlock again.",
  );
}
