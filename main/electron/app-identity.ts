// The app's identity, shared with electron-builder.yml (appId) and checked against it in tests.
// No Electron import, so packaging tests can read it.
export const APP_ID = 'org.digitstudio.app';
export const APP_NAME = 'Digit Studio';
