/** A string of one kind that the compiler will not accept where another kind is expected. */
export type Brand<T, Name extends string> = T & { readonly __brand: Name };

/** Fails to compile when a switch over a union misses a case; throws if reached at run time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${String(value)}`);
}
