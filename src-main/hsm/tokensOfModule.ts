import { externalToken } from './externalToken';
import { loadModule } from './module';
import { describeTokens } from './token';

/** The tokens the PKCS#11 module named by a path or RFC 7512 URI offers. */
export function tokensOfModule(pkcs11: string): { Module: string; Tokens: ReturnType<typeof describeTokens> } {
  const { modulePath } = externalToken(pkcs11);
  const module = loadModule(modulePath);
  try {
    return { Module: modulePath, Tokens: describeTokens(module) };
  } finally {
    module.release();
  }
}
