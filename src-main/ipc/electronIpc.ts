import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-shared/ipc/channelNames';
import type { AppCore } from './appCore';

/** Why a message must be refused, or undefined: it must come from the main frame of our window, showing our renderer. */
function refusal(event: IpcMainInvokeEvent, window: BrowserWindow, rendererUrl: string): string | undefined {
  if (event.sender !== window.webContents) return 'sender is not the Strongroom window';
  const frame = event.senderFrame;
  if (frame === null || frame !== window.webContents.mainFrame) return 'sender is not the main frame';
  if (!frame.url.startsWith(rendererUrl)) return `sender shows ${frame.url}`;
  return undefined;
}

/** Answers every channel of the map for `window`, validating the sender of each message before the core sees it. */
export function registerIpc(core: AppCore, window: BrowserWindow, rendererUrl: string): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const why = refusal(event, window, rendererUrl);
      return why === undefined ? core.handle(channel, request) : core.refuse(channel, why);
    });
  }
}
