import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as Common from '@zxcvbn-ts/language-common';
import type * as English from '@zxcvbn-ts/language-en';

/**
 * How hard a passphrase is to guess, by zxcvbn's estimate (dictionaries,
 * common passwords, keyboard patterns, dates, l33t). The embedded token's
 * passphrase must need at least 10^10 guesses (zxcvbn's top score): with
 * the vault's Argon2id that is years of work for an attacker with a copy of
 * the vault's files.
 */
export interface PassphraseStrength {
  /** True when the passphrase may protect an embedded token. */
  strongEnough: boolean;
  /** log10 of the estimated number of guesses, to one decimal. */
  guessesLog10: number;
  /** The time to guess it at 10,000 guesses a second (a slow hash, on many machines), in words. */
  offlineTime: string;
  /** What makes it weak, and what would help; empty when nothing is wrong. */
  advice: string[];
}

/** The fewest guesses (as log10) that an embedded token's passphrase must need. */
export const MIN_GUESSES_LOG10 = 10;

/** The zxcvbn-ts packages; each side loads them its own way (the core at first use, as they take a few hundred ms to load). */
export interface ZxcvbnPackages {
  core: { ZxcvbnFactory: typeof ZxcvbnFactory };
  common: typeof Common;
  en: typeof English;
}

/** The strength estimator, with the common and English dictionaries. */
export function passphraseEstimator({ core, common, en }: ZxcvbnPackages): (passphrase: string) => PassphraseStrength {
  const factory = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return (passphrase) => {
    const result = factory.check(passphrase.slice(0, 100)); // its cost grows with length; 100 characters say enough
    const { warning, suggestions } = result.feedback;
    return {
      strongEnough: result.guessesLog10 >= MIN_GUESSES_LOG10,
      guessesLog10: Math.round(result.guessesLog10 * 10) / 10,
      offlineTime: result.crackTimes.offlineSlowHashingXPerSecond.display,
      advice: [...(warning === null ? [] : [warning]), ...suggestions],
    };
  };
}

/** The sentence that says why a passphrase is refused, with the estimate; undefined when it is strong enough. */
export function weakPassphraseProblem(strength: PassphraseStrength): string | undefined {
  if (strength.strongEnough) return undefined;
  const advice = strength.advice.length === 0 ? '' : ` ${strength.advice.join(' ')}`;
  return (
    `This passphrase is too easy to guess: about 10^${String(strength.guessesLog10)} guesses, ${strength.offlineTime} at 10,000 guesses a second; ` +
    `it needs at least 10^${String(MIN_GUESSES_LOG10)}.${advice} Use four or more unrelated words, or 12 or more random characters.`
  );
}
