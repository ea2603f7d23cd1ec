// Electron entry: app lifecycle and the window; the product lives in the core.
import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { AppCore } from './ipc/appCore';
import { registerIpc } from './ipc/electronIpc';
import { APP_NAME, appDataDir } from './paths';

app.setName(APP_NAME);
app.setPath('userData', appDataDir());

if (!app.requestSingleInstanceLock()) app.quit();

const core = new AppCore(appDataDir(), 'app');
const rendererFile = join(__dirname, '../renderer/index.html');

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    show: false,
    title: 'Strongroom',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  // Navigation and new windows are blocked; links open in the system browser only when https.
  window.webContents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  registerIpc(core, window, pathToFileURL(rendererFile).href);
  void window.loadFile(rendererFile);
  return window;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => {
    callback(false);
  });
  createWindow();
});

app.on('second-instance', () => {
  BrowserWindow.getAllWindows()[0]?.focus();
});

app.on('window-all-closed', () => {
  app.quit();
});

app.on('will-quit', () => {
  core.close();
});
