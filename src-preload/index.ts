// Builds window.strongroom for the renderer from the channel map's names, and the path of a dropped file; nothing else (no raw ipcRenderer).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNEL_NAMES } from '../src-shared/ipc/channelNames';

const api = Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, (request: unknown): Promise<unknown> => ipcRenderer.invoke(channel, request)]));
contextBridge.exposeInMainWorld('strongroom', Object.freeze(api));
contextBridge.exposeInMainWorld('strongroomFiles', Object.freeze({ pathOf: (file: File): string => webUtils.getPathForFile(file) }));
