import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Reply } from '../../src-shared/ipc/channels';
import { textOfChunks } from '../crypto/secret';
import type { AppCore } from '../ipc/appCore';

/** The page's Content-Security-Policy: its own scripts and styles only, no remote origin, no framing. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const MAX_BODY = 1024 * 1024;
const COOKIE = 'strongroom_session';
/** The header in which the page sends the secret that only it holds. */
export const SESSION_HEADER = 'X-Strongroom-Session';
/** The channels a session reaches after the vault has locked, until the PIN unlocks it again through that session (activity does nothing while locked). */
const WHILE_RELOCKED = new Set(['vault:status', 'vault:activity', 'vault:unlock']);

export interface BrowserHost {
  /** The address to open, once: it carries a launch secret that the first visit trades for the session's secrets, one kept in a cookie and one in the page. */
  readonly url: string;
  readonly origin: string;
  /** Settles when the address has been used, after which it is worth nothing. */
  readonly launched: Promise<void>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The page's secret, as its API calls send it. */
function pageSecretOf(req: IncomingMessage): string | undefined {
  const value = req.headers[SESSION_HEADER.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** The interface's page with the page secret in a meta tag, which the page reads once and removes (see src-renderer/src/lib/api.ts). */
function withPageSecret(html: string, secret: string): string {
  if (!html.includes('</head>')) throw new Error('the interface page has no </head>');
  return html.replace('</head>', `<meta name="strongroom-session" content="${secret}"></head>`);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The parsed JSON of a body, or undefined when there is none or it is not JSON. */
function parseJson(body: string | undefined): { value: unknown } | undefined {
  if (body === undefined) return undefined;
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (size > MAX_BODY) break;
  }
  const text = textOfChunks(chunks);
  return size > MAX_BODY ? undefined : text;
}

const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Serves the interface to a browser on this machine: loopback only, a random
 * port, secrets made at each launch; every request must carry the right
 * Host, and every API call the right Origin and two secrets: the session's
 * cookie (HttpOnly, SameSite=Strict) and the page's secret, in the
 * X-Strongroom-Session header. The address to open carries a launch secret
 * that works once, so that the address (on a command line, in a browser's
 * history) is worth nothing once used; its one response sets the cookie and
 * is the only one to carry the page secret. A cookie is scoped to the host
 * name, not the port, so any other local server the browser visits receives
 * it; the page secret never leaves the page. After the vault locks (its
 * idle auto-lock among the reasons), the session reaches only status and
 * unlock, and each unlock through it gives the page a new secret. API calls
 * go through the same channel map and validation as Electron IPC; refused
 * ones are audited, bounded and rate-limited (see RefusalLog).
 */
export async function startBrowserHost(core: AppCore, rendererDir: string, port = 0): Promise<BrowserHost> {
  let launchSecret: string | undefined = newSecret();
  const secret = newSecret();
  let pageSecret = newSecret();
  /** Whether the vault has locked since the page last unlocked it. */
  let relocked = false;
  core.onVaultLock(() => {
    relocked = true;
  });
  let markLaunched = (): void => undefined;
  const launched = new Promise<void>((resolve) => (markLaunched = resolve));
  let origin = '';
  let host = '';

  const serveFile = async (res: ServerResponse, path: string): Promise<void> => {
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(rendererDir + sep)) {
      send(res, 404, 'Not found');
      return;
    }
    try {
      send(res, 200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'Not found');
    }
  };

  /** Why an API request must be refused before it is read, or undefined. */
  const refusalOf = (req: IncomingMessage, channel: string): string | undefined => {
    if (req.method !== 'POST') return `method ${String(req.method)}`;
    if (req.headers.origin !== origin) return `origin ${String(req.headers.origin)}`;
    if (!sameSecret(cookie(req, COOKIE), secret)) return 'no session secret';
    if (!sameSecret(pageSecretOf(req), pageSecret)) return 'no page secret';
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return 'content type';
    if (relocked && !WHILE_RELOCKED.has(channel)) return 'the vault has locked since this page unlocked it; unlock it again with the PIN';
    return undefined;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> => {
    const why = refusalOf(req, channel);
    const body = why === undefined ? await readBody(req) : undefined;
    const request = parseJson(body);
    let reply: Reply;
    const headers: Record<string, string> = {};
    if (why !== undefined) reply = core.refuse(channel, why, req.headers['user-agent']);
    else if (request === undefined) reply = core.refuse(channel, 'malformed payload', req.headers['user-agent']);
    else reply = await core.handleAsync(channel, request.value);
    if (why === undefined && channel === 'vault:unlock' && reply.ok) {
      relocked = false;
      pageSecret = newSecret();
      headers[SESSION_HEADER] = pageSecret;
    }
    send(res, why === undefined && request !== undefined ? 200 : 403, JSON.stringify(reply), 'application/json', headers);
  };

  /** Static files need the session cookie; the one-time address sets it, and its page alone carries the page secret. */
  const handlePage = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const launch = url.searchParams.get('secret') ?? undefined;
    if (req.method !== 'GET') send(res, 405, 'Method not allowed');
    else if (url.pathname === '/' && launch !== undefined && launchSecret !== undefined && sameSecret(launch, launchSecret)) {
      launchSecret = undefined;
      markLaunched();
      void readFile(join(rendererDir, 'index.html'), 'utf8').then((html) => withPageSecret(html, pageSecret)).then(
        (page) => {
          send(res, 200, page, TYPES['.html'], { 'Set-Cookie': `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/` });
        },
        () => {
          send(res, 500, 'The interface could not be read. Run "npm run build" and start "strongroom ui" again.');
        },
      );
    } else if (!sameSecret(cookie(req, COOKIE), secret)) {
      send(res, 401, launch === undefined ? 'Open the address that "strongroom ui" printed.' : 'This address works once, and has been used or is wrong. Stop "strongroom ui" and start it again for a new one.');
    } else void serveFile(res, url.pathname);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== host) send(res, 421, 'Wrong host');
    else if (url.pathname.startsWith('/api/')) void handleApi(req, res, url.pathname.slice('/api/'.length));
    else handlePage(req, res, url);
  });

  // A page keeps its connection between calls, and a person pauses longer than Node's 5 s default: a call after a pause
  // must not go out on a connection the host is closing at that moment (a POST is not retried).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the browser host has no port');
  host = `127.0.0.1:${String(address.port)}`;
  origin = `http://${host}`;
  return {
    url: `${origin}/?secret=${launchSecret}`,
    origin,
    launched,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections(); // a browser's kept-alive connections must not hold the host open once it stops
      }),
  };
}
