// Builds window.strongroom for the renderer; nothing else.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('strongroom', { version: 1 });
