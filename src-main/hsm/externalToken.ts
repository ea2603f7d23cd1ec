import { KmsError } from '../../src-shared/errors';
import type { TokenSelector } from './token';
import { isPkcs11Uri, parsePkcs11Uri } from './uri';

/**
 * The module and token that a PKCS#11 module path or RFC 7512 URI names: the
 * URI's token, serial, manufacturer, model and slot-id all select, and
 * `tokenLabel`, when given, picks the token by its label. ValidationException
 * for a URI without a module-path, or whose token differs from `tokenLabel`.
 */
export function externalToken(pkcs11: string, tokenLabel?: string): { modulePath: string; selector: TokenSelector } {
  if (!isPkcs11Uri(pkcs11)) return { modulePath: pkcs11, selector: tokenLabel === undefined ? {} : { label: tokenLabel } };
  const { modulePath, moduleName, token, ...selector } = parsePkcs11Uri(pkcs11);
  if (modulePath === undefined) {
    throw new KmsError('ValidationException', `The PKCS#11 URI needs a module-path${moduleName ? ` (module-name "${moduleName}" alone is not enough)` : ''}, e.g. pkcs11:token=MyToken?module-path=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so`);
  }
  if (token !== undefined && tokenLabel !== undefined && token !== tokenLabel) {
    throw new KmsError('ValidationException', `The PKCS#11 URI names token "${token}" but the token label given is "${tokenLabel}"; give one of them.`);
  }
  const label = tokenLabel ?? token;
  return { modulePath, selector: label === undefined ? selector : { ...selector, label } };
}
