// Electron's security checklist, applied in one place:
// - the renderer's files come from our private scheme only (app-protocol.ts), with the CSP header;
// - every response carries the CSP header; no request may leave the machine (no remote content);
// - every permission request (camera, notifications, …) is denied;
// - navigation away from our pages, redirects, new windows and <webview> are refused for every web
//   contents; links we wrote ourselves open in the user's browser instead.
import { protocol, type Session, type WebContents } from 'electron';
import { promises as fs } from 'node:fs';
import {
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  resolveAppUrl,
  responseHeaders,
} from './app-protocol';
import { openAllowedExternal } from './external-links';

type Log = (line: string) => void;

/** Must run before the app is ready: gives our scheme the standing of https (secure, standard). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // corsEnabled: Vite's module scripts are requested in CORS mode (crossorigin attribute).
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves out/renderer on digit-studio://app/ in `session`; nothing outside that folder. */
export function serveRenderer(session: Session, rendererDir: string, log: Log): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppUrl(request.url, rendererDir);
    if (!file) {
      log(`security: refused ${request.url.slice(0, 200)}`);
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    }
    try {
      const body = await fs.readFile(file);
      return new Response(new Uint8Array(body), { status: 200, headers: responseHeaders(file) });
    } catch {
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    }
  });
}

/**
 * Schemes a page of ours may load from: our own, inline data and blobs it made. Not
 * chrome-extension: (the app loads none) nor devtools: (a packaged build has no DevTools).
 */
export function isLocalRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return /^(data|blob):/i.test(url);
}

export function hardenSession(session: Session, log: Log): void {
  // Belt and braces with the <meta> policy: the header also covers anything served without one.
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  // No remote content, ever: the app works offline and must not be made to fetch anything.
  session.webRequest.onBeforeRequest((details, callback) => {
    if (isLocalRequest(details.url)) return callback({});
    log(`security: blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: true });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`security: denied permission "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

/**
 * Applied to every web contents the app creates (see app.on('web-contents-created')).
 * `openExternal` is shell.openExternal.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => Promise<void>, log: Log): void {
  contents.setWindowOpenHandler(({ url }) => {
    openAllowedExternal(url, openExternal, log);
    return { action: 'deny' };
  });
  // Moving between our own pages is harmless (a reload through location, say); leaving them is not.
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (!openAllowedExternal(url, openExternal, () => undefined)) log(`security: refused navigation to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('security: refused a <webview>');
  });
}
