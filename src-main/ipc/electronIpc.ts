import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNEL_NAMES } from '../../src-shared/ipc/channelNames';
import type { AppCore } from './appCore';
import { senderRefusal } from './senderCheck';

/** Answers every channel of the map for `window`, validating the sender of each message before the core sees it; refusals are audited. */
export function registerIpc(core: AppCore, window: BrowserWindow, rendererUrl: string): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const why = senderRefusal(event, window, rendererUrl);
      return why === undefined ? core.handleAsync(channel, request) : core.refuse(channel, why);
    });
  }
}
