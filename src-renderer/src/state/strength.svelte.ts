import type { PassphraseStrength } from '../../../src-shared/passphrase';
import { loadEstimator, type Estimator } from '../lib/passphrase';

/** The passphrase strength estimate the core applies, for screens that take a new passphrase; its dictionaries load at the first use. */
class Strength {
  private estimate = $state<Estimator | undefined>(undefined);

  /** The estimate for `passphrase`; undefined for an empty one, or until the dictionaries have loaded. */
  of(passphrase: string): PassphraseStrength | undefined {
    if (passphrase === '') return undefined;
    if (this.estimate === undefined) {
      void loadEstimator().then((loaded) => {
        this.estimate = loaded;
      });
    }
    return this.estimate?.(passphrase);
  }
}

export const strength = new Strength();
