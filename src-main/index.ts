// Electron entry: app lifecycle and the window; the product lives in the core.
import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { AppCore } from './ipc/appCore';
import { registerIpc } from './ipc/electronIpc';
import { permissionAllowed } from './ipc/senderCheck';
import { APP_NAME, appDataDir, resolveHome } from './paths';

app.setName(APP_NAME);
app.setPath('userData', appDataDir());

if (!app.requestSingleInstanceLock()) app.quit();

// $STRONGROOM_HOME, as for the CLI, else the per-user data directory
const core = new AppCore(resolveHome(), 'app', {
  reveal: (path) => {
    shell.showItemInFolder(path);
  },
});
const rendererFile = join(__dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererFile).href;

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
      allowRunningInsecureContent: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  // The window shows the renderer and nothing else: navigation, new windows and webviews are refused.
  window.webContents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  registerIpc(core, window, rendererUrl);
  void window.loadFile(rendererFile);
  return window;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(permissionAllowed(permission, details, rendererUrl));
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, _origin, details) => permissionAllowed(permission, details, rendererUrl));
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
