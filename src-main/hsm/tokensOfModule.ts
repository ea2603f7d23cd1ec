import { externalToken } from './externalToken';
import { loadModule } from './module';
import { describeTokens } from './token';

/** The tokens the PKCS#11 module named by a path or RFC 7512 URI offers (only those the URI selects); TokenNotFoundException when the URI selects none. */
export function tokensOfModule(pkcs11: string): { Module: string; Tokens: ReturnType<typeof describeTokens> } {
  const { modulePath, selector } = externalToken(pkcs11);
  const module = loadModule(modulePath);
  try {
    return { Module: modulePath, Tokens: describeTokens(module, selector) };
  } finally {
    module.release();
  }
}
