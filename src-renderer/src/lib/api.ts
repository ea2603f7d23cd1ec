import { CHANNEL_NAMES } from '../../../src-shared/ipc/channelNames';
import type { Channel, ChannelRequest, ChannelResponse, Reply, StrongroomApi } from '../../../src-shared/ipc/channels';
import type { CONTACT_OPERATIONS } from '../../../src-shared/files/contacts';
import type { IDENTITY_OPERATIONS } from '../../../src-shared/files/identities';
import type { IAM_OPERATIONS, IamOperationName } from '../../../src-shared/iam/operations';
import type { OPERATIONS, OperationName } from '../../../src-shared/kms/shapes.generated';
import type { z } from 'zod';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in a browser, where the browser host answers instead. */
    strongroom?: StrongroomApi;
  }
}

const SESSION_HEADER = 'X-Strongroom-Session';

/**
 * The browser host's page secret: the page that the launch address opened
 * carries it in a meta tag, read here once and removed, and the address bar
 * drops the used launch secret. From then on it lives only in this module's
 * memory, so that reloading the page ends the session.
 */
function takePageSecret(): string | undefined {
  const meta = document.querySelector('meta[name="strongroom-session"]');
  const secret = meta?.getAttribute('content') ?? undefined;
  meta?.remove();
  if (secret !== undefined) history.replaceState(null, '', '/');
  return secret;
}

/** The same API over the browser host: POST /api/<channel> on this origin, with the session cookie and the page secret; an unlock may hand the page a new secret. */
function overHttp(): StrongroomApi {
  let pageSecret = takePageSecret();
  const entries = CHANNEL_NAMES.map((channel) => [
    channel,
    async (request: unknown): Promise<Reply> => {
      if (pageSecret === undefined) {
        throw new ServiceError('SessionEndedException', 'This page has no session with Strongroom: only the page that the address opened holds one, and reloading or opening it again ends it. Stop "strongroom ui" (Ctrl+C) and start it again for a new address.');
      }
      const headers = { 'Content-Type': 'application/json', [SESSION_HEADER]: pageSecret };
      let response: Response;
      try {
        response = await fetch(`/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(request), credentials: 'same-origin' });
      } catch {
        throw new ServiceError('ConnectionLostException', 'The browser host did not answer: "strongroom ui" may have stopped.');
      }
      pageSecret = response.headers.get(SESSION_HEADER) ?? pageSecret;
      return (await response.json()) as Reply;
    },
  ]);
  return Object.fromEntries(entries) as StrongroomApi;
}

/** A failure from the core, with its AWS exception name. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Calls one channel; resolves to its value or rejects with a ServiceError carrying the AWS name. */
export async function call<C extends Channel>(channel: C, request: ChannelRequest<C>): Promise<ChannelResponse<C>> {
  const reply = await (api[channel] as (r: ChannelRequest<C>) => Promise<Reply>)(request);
  if (!reply.ok) throw new ServiceError(reply.error.__type, reply.error.message);
  return reply.value as ChannelResponse<C>;
}

const api: StrongroomApi = window.strongroom ?? overHttp();

type Operations = typeof OPERATIONS;
/** An AWS KMS operation's JSON request and response (blobs as base64, dates as epoch seconds). */
export type KmsInput<O extends OperationName> = z.input<Operations[O]['input']>;
export type KmsOutput<O extends OperationName> = z.output<Operations[O]['output']>;

/** Calls one AWS KMS operation with its JSON request. */
export function kms<O extends OperationName>(operation: O, input: KmsInput<O>): Promise<KmsOutput<O>> {
  return call('kms:call', { operation, input }) as Promise<KmsOutput<O>>;
}

type IamOperations = typeof IAM_OPERATIONS;
/** An IAM operation's JSON request and response (dates as epoch seconds). */
export type IamInput<O extends IamOperationName> = z.input<IamOperations[O]['input']>;
export type IamOutput<O extends IamOperationName> = z.output<IamOperations[O]['output']>;

/** Calls one IAM operation (users, access keys, their policies) with its JSON request. */
export function iam<O extends IamOperationName>(operation: O, input: IamInput<O>): Promise<IamOutput<O>> {
  return call('iam:call', { operation, input }) as Promise<IamOutput<O>>;
}

type FileOperations = typeof CONTACT_OPERATIONS & Omit<typeof IDENTITY_OPERATIONS, 'UnwrapAgeFileKey'>;
type FileOperationName = keyof FileOperations;
/** A contact or age identity operation's JSON response. */
export type FilesOutput<O extends FileOperationName> = z.output<FileOperations[O]['output']>;

/** Calls one operation on contacts or age identities. */
export function files<O extends FileOperationName>(operation: O, input: z.input<FileOperations[O]['input']>): Promise<FilesOutput<O>> {
  return call('files:call', { operation, input }) as Promise<FilesOutput<O>>;
}
