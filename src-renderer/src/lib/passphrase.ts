import { passphraseEstimator, type PassphraseStrength } from '../../../src-shared/passphrase';

export type Estimator = (passphrase: string) => PassphraseStrength;

let loading: Promise<Estimator> | undefined;

/**
 * The strength estimate the core applies at init, loaded on first use: its
 * dictionaries (about 1.7 MB) are a chunk of their own, which only the setup
 * screen fetches.
 */
export function loadEstimator(): Promise<Estimator> {
  loading ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(([core, common, en]) =>
    passphraseEstimator({ core, common, en }),
  );
  return loading;
}
