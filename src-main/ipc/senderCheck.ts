/** The parts of an IPC message's origin that decide whether it is ours. */
export interface Sender<Frame, Contents> {
  sender: Contents;
  senderFrame: Frame | null;
}

/**
 * Why a message must be refused, or undefined: it must come from our window's
 * web contents, from its main frame (not a subframe), showing our renderer.
 */
export function senderRefusal<Frame extends { url: string }, Contents>(
  message: Sender<Frame, Contents>,
  window: { webContents: Contents & { mainFrame: Frame } },
  rendererUrl: string,
): string | undefined {
  if (message.sender !== window.webContents) return 'sender is not the Strongroom window';
  const frame = message.senderFrame;
  if (frame === null || frame !== window.webContents.mainFrame) return 'sender is not the main frame';
  if (!isRenderer(frame.url, rendererUrl)) return `sender shows ${frame.url}`;
  return undefined;
}

/** True when `url` is our renderer's page (any #fragment of it). */
function isRenderer(url: string | undefined, rendererUrl: string): boolean {
  return url === rendererUrl || (url?.startsWith(`${rendererUrl}#`) ?? false);
}

/**
 * The one web permission the window grants: writing the clipboard, which the
 * interface's Copy buttons use (and which clears a copied secret again), to
 * the main frame showing our renderer. Everything else (reading the
 * clipboard among it) is refused.
 */
export function permissionAllowed(permission: string, request: { requestingUrl?: string | undefined; isMainFrame: boolean }, rendererUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && request.isMainFrame && isRenderer(request.requestingUrl, rendererUrl);
}
