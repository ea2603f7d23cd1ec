import { KmsError } from '../../../src-shared/errors';
import { OPERATIONS, type OperationName } from '../../../src-shared/kms/shapes.generated';
import { validate } from '../../../src-shared/kms/validate';
import type { z } from 'zod';
import type { KmsContext } from '../context';
import { generateRandom } from './generateRandom';

type Handler<N extends OperationName> = (ctx: KmsContext, request: z.output<(typeof OPERATIONS)[N]['input']>) => z.input<(typeof OPERATIONS)[N]['output']>;

/** The operations this build implements, by AWS name. */
const HANDLERS: { [N in OperationName]?: Handler<N> } = {
  GenerateRandom: generateRandom,
};

/** The names of the implemented operations, in AWS's spelling. */
export function implementedOperations(): OperationName[] {
  return (Object.keys(HANDLERS) as OperationName[]).sort();
}

/** True when `name` is an AWS KMS operation this build implements. */
export function isImplemented(name: string): name is OperationName {
  return Object.hasOwn(HANDLERS, name);
}

/**
 * Runs one KMS operation from its AWS JSON request: validates the request
 * against the API model (ValidationException naming each bad field) and
 * calls the operation.
 */
export function invoke(ctx: KmsContext, name: OperationName, input: unknown): unknown {
  const handler = HANDLERS[name] as Handler<OperationName> | undefined;
  if (handler === undefined) throw new KmsError('UnsupportedOperationException', `${name} is not available in this version of Strongroom.`);
  const request = validate(OPERATIONS[name].input, input);
  return handler(ctx, request);
}
