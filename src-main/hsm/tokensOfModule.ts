import { KmsError } from '../../src-shared/errors';
import { loadModule } from './module';
import { describeTokens } from './token';
import { isPkcs11Uri, parsePkcs11Uri } from './uri';

/** The tokens the PKCS#11 module named by a path or RFC 7512 URI offers. */
export function tokensOfModule(pkcs11: string): { Module: string; Tokens: ReturnType<typeof describeTokens> } {
  const modulePath = isPkcs11Uri(pkcs11) ? parsePkcs11Uri(pkcs11).modulePath : pkcs11;
  if (modulePath === undefined) throw new KmsError('ValidationException', 'The PKCS#11 URI needs a module-path.');
  const module = loadModule(modulePath);
  try {
    return { Module: modulePath, Tokens: describeTokens(module) };
  } finally {
    module.release();
  }
}
