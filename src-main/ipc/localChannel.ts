import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { isKmsErrorType, KmsError } from '../../src-shared/errors';
import type { AccessKeyCredentials } from '../../src-shared/caller';
import type { Reply } from '../../src-shared/ipc/channels';

/**
 * The local channel on which the process that holds a vault (the desktop app,
 * the browser host) takes the command line's KMS calls: a Unix socket in a
 * private directory of the vault home, and a secret made at each launch in a
 * file beside it that only the user can read. One JSON message per line:
 * `{"secret","operation","input"}` in (and `accessKey`, for a command
 * that acts as an IAM user), a {@link Reply} out.
 */

/** The largest request line the holder reads (a KMS request is at most tens of kilobytes). */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** The largest reply line the command line reads (a page of a thousand keys is a few hundred kilobytes). */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** The longest Unix socket path every system takes (macOS: 104 bytes with the final NUL; Linux: 108). Node cuts a longer one short, which would put the socket somewhere else. */
const MAX_SOCKET_PATH_BYTES = 103;

/** Refuses a socket path that would be cut short. */
function checkSocketPath(path: string): void {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new KmsError('VaultInUseException', `The command line's channel ${path} is longer than a Unix socket path may be (${String(MAX_SOCKET_PATH_BYTES)} bytes), so commands cannot reach the app that holds the vault. Move the vault to a directory with a shorter path.`);
  }
}

/** Where the channel of the vault in `home` lives. */
export function channelFiles(home: string): { dir: string; socket: string; secret: string } {
  const dir = join(home, 'cli-channel');
  return { dir, socket: join(dir, 'socket'), secret: join(dir, 'secret') };
}

/** What the holder does with a line: answer an authenticated request, or refuse (and record) one that is not. */
export interface ChannelHandler {
  answer(operation: unknown, input: unknown, accessKey: unknown): Reply;
  refuse(reason: string): Reply;
}

/** A listening channel; `close` stops it and removes its files. */
export interface LocalChannel {
  close(): void;
}

const digest = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** Compares in a time that does not depend on where the two differ, nor on the length of the one given. */
function sameSecret(given: unknown, secret: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(Buffer.from(given)), digest(Buffer.from(secret)));
}

/** Calls `onLine` with each line `socket` sends, and `onTooLong` (once, then no more lines) when one outgrows `max` bytes. */
function readLines(socket: Socket, max: number, onLine: (line: string) => void, onTooLong: () => void): void {
  let pending = '';
  socket.setEncoding('utf8'); // a character split between two chunks is put together again
  const tooLong = (): void => {
    socket.off('data', onData);
    pending = '';
    onTooLong();
  };
  function onData(chunk: string): void {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (Buffer.byteLength(line) > max) {
        tooLong();
        return;
      }
      onLine(line);
    }
    if (Buffer.byteLength(pending) > max) tooLong();
  }
  socket.on('data', onData);
}

/** The parsed line, or undefined when it is not JSON. */
function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `dir` is a directory (not a link) of this user's that no one else may enter. */
function isPrivateDir(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && (stat.mode & 0o077) === 0 && (process.getuid === undefined || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

/** Makes `dir` a directory only this user may enter; refuses one that is a link or another user's. */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (lstatSync(dir).isDirectory()) chmodSync(dir, 0o700);
  if (!isPrivateDir(dir)) throw new KmsError('KMSInternalException', `${dir} is not a directory of this user's; remove it.`);
}

/**
 * Starts the channel of the vault in `home` for the process that now holds
 * it. A socket left by a holder that died is replaced (this process holds the
 * vault, so no one else is listening). `onError` hears why it could not
 * start; the process goes on without it.
 */
export function startLocalChannel(home: string, handler: ChannelHandler, onError: (error: Error) => void): LocalChannel {
  const files = channelFiles(home);
  const secret = randomBytes(32).toString('base64url');
  const connections = new Set<Socket>();
  const serve = (socket: Socket): void => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    const reply = (answer: Reply, end = false): void => {
      const text = `${JSON.stringify(answer)}\n`;
      if (end) socket.end(text);
      else socket.write(text);
    };
    readLines(socket, MAX_REQUEST_BYTES, (line) => {
      if (socket.writableEnded) return; // refused: nothing more is read
      const parsed = parse(line);
      const message = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      if (message === undefined) reply(handler.refuse('malformed message'), true);
      else if (!sameSecret(message.secret, secret)) reply(handler.refuse('wrong channel secret'), true);
      else reply(handler.answer(message.operation, message.input, message.accessKey));
    }, () => {
      reply(handler.refuse(`message over ${String(MAX_REQUEST_BYTES)} bytes`), true);
    });
    socket.on('error', () => socket.destroy());
  };
  const server = createServer(serve);
  server.on('error', onError);
  try {
    checkSocketPath(files.socket);
    privateDir(files.dir);
    rmSync(files.socket, { force: true });
    writeFileSync(files.secret, secret, { mode: 0o600 });
    chmodSync(files.secret, 0o600);
    server.listen(files.socket, () => {
      try {
        chmodSync(files.socket, 0o600);
      } catch (error) {
        onError(error as Error);
      }
    });
    server.unref();
  } catch (error) {
    onError(error as Error);
  }
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of connections) socket.destroy();
      rmSync(files.socket, { force: true });
      rmSync(files.secret, { force: true });
    },
  };
}

/** A connection to the holder's channel, for one command's calls. */
export interface ChannelClient {
  /** Runs `operation` in the holder; resolves to its response, or rejects with its KmsError. */
  call(operation: string, input: unknown): Promise<unknown>;
  close(): void;
}

/** The secret of the channel in `home`, or undefined when there is none. */
function readChannelSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The reply line `text` as a response or a KmsError. */
function settle(text: string): unknown {
  const reply = parse(text) as Reply | undefined;
  if (reply?.ok === true) return reply.value;
  const error = reply?.ok === false ? reply.error : undefined;
  if (error !== undefined && isKmsErrorType(error.__type) && typeof error.message === 'string') throw new KmsError(error.__type, error.message);
  throw new KmsError('KMSInternalException', 'The process that holds the vault gave an answer that is not one.');
}

/**
 * Connects to the channel of the process that holds the vault in `home`, for
 * calls as the account root or, with `accessKey`, as its user;
 * undefined when no one listens there (no channel files, a socket no one
 * answers on, or a channel directory that is not private to this user).
 * VaultInUseException when the socket's path is too long to reach.
 */
export async function connectToHolder(home: string, accessKey?: AccessKeyCredentials): Promise<ChannelClient | undefined> {
  const files = channelFiles(home);
  checkSocketPath(files.socket);
  if (!isPrivateDir(files.dir)) return undefined; // no channel, or one that someone else could have put there
  const secret = readChannelSecret(files.secret);
  if (secret === undefined) return undefined;
  const socket = createConnection(files.socket);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch {
    socket.destroy();
    return undefined;
  }
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let failure: KmsError | undefined;
  const fail = (error: KmsError): void => {
    failure ??= error;
    for (const call of waiting.splice(0)) call.reject(error);
  };
  readLines(socket, MAX_REPLY_BYTES, (line) => waiting.shift()?.resolve(line), () => {
    fail(new KmsError('KMSInternalException', 'The reply of the process that holds the vault is too large.'));
    socket.destroy();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    fail(new KmsError('KMSInternalException', 'The process that holds the vault closed the connection before it answered.'));
  });
  return {
    async call(operation, input) {
      if (failure !== undefined) throw failure;
      const text = `${JSON.stringify({ secret, operation, input, ...(accessKey === undefined ? {} : { accessKey }) })}\n`;
      if (Buffer.byteLength(text) > MAX_REQUEST_BYTES) throw new KmsError('ValidationException', `The request is over ${String(MAX_REQUEST_BYTES)} bytes, more than any KMS request can be.`);
      const line = new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
      socket.write(text);
      return settle(await line);
    },
    close() {
      socket.end();
    },
  };
}
