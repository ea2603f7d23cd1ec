import * as core from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { passphraseEstimator, type PassphraseStrength } from '../../../src-shared/passphrase';

let estimate: ((passphrase: string) => PassphraseStrength) | undefined;

/** The strength of a passphrase for the embedded token, by the estimate the core applies at init. */
export function strengthOf(passphrase: string): PassphraseStrength {
  estimate ??= passphraseEstimator({ core, common, en });
  return estimate(passphrase);
}
