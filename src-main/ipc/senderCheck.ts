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
  if (frame.url !== rendererUrl && !frame.url.startsWith(`${rendererUrl}#`)) return `sender shows ${frame.url}`;
  return undefined;
}
