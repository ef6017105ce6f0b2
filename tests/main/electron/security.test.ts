import { fake, FakeWebContents } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  parseCsp,
  resolveAppUrl,
  isAppUrl,
} from '../../../main/electron/app-protocol';
import { hardenSession, hardenWebContents, registerAppScheme, serveRenderer } from '../../../main/electron/security';
import { ALLOWED_EXTERNAL_LINKS, isAllowedExternalLink } from '../../../main/electron/external-links';

const HOSTILE_LINKS = [
  'http://yann.lecun.com/exdb/mnist/',
  'https://yann.lecun.com.evil.example/exdb/mnist/',
  'https://evil.example/',
  'https://user:pw@yann.lecun.com/exdb/mnist/',
  'https://yann.lecun.com/exdb/mnist/../../../evil',
  'https://yann.lecun.com/exdb/mnist/?q=1',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'digit-studio://app/index.html',
  'ms-settings:',
  'smb://host/share',
  '',
];

test('CSP: no eval, no inline scripts, no remote origins, no framing', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('default-src'), ["'self'"]);
  assert.deepEqual(csp.get('object-src'), ["'none'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  for (const [directive, sources] of csp) {
    for (const source of sources) {
      assert.ok(!/unsafe-eval|wasm-unsafe-eval|unsafe-hashes/.test(source), `${directive} ${source}`);
      assert.ok(!/^(https?:|wss?:|\*|ftp:|file:|filesystem:)/i.test(source), `${directive} allows a remote origin: ${source}`);
      assert.ok(!source.includes('.'), `${directive} names a host: ${source}`);
      if (directive === 'script-src' || directive === 'default-src') assert.ok(!source.includes('unsafe-inline'));
    }
  }
});

test("CSP header matches the renderer's <meta> policy directive for directive", async () => {
  const html = await readFile(path.join(process.cwd(), 'renderer', 'index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(meta, 'renderer/index.html has a CSP meta tag');
  const fromMeta = parseCsp(meta[1]!);
  const fromHeader = parseCsp(CONTENT_SECURITY_POLICY);
  for (const [directive, sources] of fromMeta) assert.deepEqual(fromHeader.get(directive), sources, directive);
  // Header-only extras may exist (frame-ancestors), but nothing that loosens the page.
  for (const directive of fromHeader.keys()) assert.ok(fromMeta.has(directive) || directive === 'frame-ancestors', directive);
});

test('the session sets the CSP header on every response, replacing any other', () => {
  const session = fake.session.defaultSession;
  hardenSession(session as never, () => undefined);
  let result: any = null;
  session.headersListener!(
    { url: 'digit-studio://app/index.html', responseHeaders: { 'content-security-policy': ["script-src 'unsafe-eval'"], 'X-Other': ['1'] } },
    (r) => (result = r),
  );
  assert.deepEqual(result.responseHeaders, { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
});

test('no remote content: requests leaving the machine are cancelled', () => {
  const session = fake.session.defaultSession;
  const lines: string[] = [];
  hardenSession(session as never, (l) => lines.push(l));
  const decide = (url: string) => {
    let r: any = null;
    session.beforeRequestListener!({ url }, (x) => (r = x));
    return r;
  };
  for (const url of ['https://example.com/x.js', 'http://127.0.0.1:8080/', 'wss://evil.example', 'file:///etc/passwd', 'ftp://x/']) {
    assert.deepEqual(decide(url), { cancel: true }, url);
  }
  for (const url of ['digit-studio://app/index.html', 'digit-studio://app/assets/a.js', 'data:image/png;base64,AAAA', 'blob:digit-studio://app/123']) {
    assert.deepEqual(decide(url), {}, url);
  }
  assert.equal(decide('digit-studio://other/index.html').cancel, true);
  // The app uses no extensions, and a packaged build has no DevTools: neither scheme is let through.
  for (const url of ['chrome-extension://abcdefghijklmnop/x.js', 'devtools://devtools/bundled/devtools_app.html']) {
    assert.deepEqual(decide(url), { cancel: true }, url);
  }
  assert.ok(lines.some((l) => l.includes('example.com')));
});

test('every permission request is denied', () => {
  const session = fake.session.defaultSession;
  hardenSession(session as never, () => undefined);
  for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'clipboard-read']) {
    let granted: boolean | null = null;
    session.permissionRequestHandler!({}, permission, (ok) => (granted = ok));
    assert.equal(granted, false, permission);
  }
  assert.equal(session.permissionCheckHandler!({}, 'media'), false);
});

test('window.open is always denied; only our https credit links open, in the browser', () => {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  hardenWebContents(contents as never, async (url) => void opened.push(url), () => undefined);
  for (const url of [...HOSTILE_LINKS, ...ALLOWED_EXTERNAL_LINKS]) {
    assert.deepEqual(contents.windowOpenHandler!({ url }), { action: 'deny' }, url);
  }
  assert.deepEqual(opened, [...ALLOWED_EXTERNAL_LINKS]);
  for (const url of HOSTILE_LINKS) assert.equal(isAllowedExternalLink(url), false, url);
  assert.equal(isAllowedExternalLink(42), false);
});

test('navigation away from our pages and <webview> are prevented', () => {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  hardenWebContents(contents as never, async (url) => void opened.push(url), () => undefined);
  const prevented = (event: string, url: string) => {
    let was = false;
    contents.emit(event, { preventDefault: () => (was = true) }, url);
    return was;
  };
  for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://localhost:3000/', 'javascript:alert(1)', 'digit-studio://evil/x']) {
    assert.equal(prevented('will-navigate', url), true, url);
    assert.equal(prevented('will-redirect', url), true, url);
  }
  assert.equal(prevented('will-navigate', 'digit-studio://app/index.html'), false, 'our own page may reload itself');
  assert.equal(prevented('will-navigate', ALLOWED_EXTERNAL_LINKS[0]!), true, 'even an allowed link never loads in the window');
  assert.deepEqual(opened, [ALLOWED_EXTERNAL_LINKS[0]]);
  let webviewPrevented = false;
  contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) }, {}, {});
  assert.equal(webviewPrevented, true);
});

test('our scheme is registered as privileged (standard, secure) before ready', () => {
  registerAppScheme();
  const entry = fake.protocol.privileged.find((p: any) => p.scheme === APP_SCHEME) as any;
  assert.ok(entry);
  assert.equal(entry.privileges.standard, true);
  assert.equal(entry.privileges.secure, true);
  assert.notEqual(entry.privileges.bypassCSP, true, 'the scheme must not bypass the policy');
});

test('the scheme serves files inside out/renderer only, with the CSP header and MIME type', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ds-proto-'));
  try {
    const rendererDir = path.join(root, 'renderer');
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(root, 'secret.txt'), 'secret');
    const session = fake.session.defaultSession;
    serveRenderer(session as never, rendererDir, () => undefined);
    const handler = session.protocolHandlers.get(APP_SCHEME)!;

    const index = await handler({ url: 'digit-studio://app/' });
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(await index.text(), /<title>x<\/title>/);
    const js = await handler({ url: 'digit-studio://app/assets/app.js?v=1#x' });
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await js.text(), 'console.log(1)');

    for (const url of [
      'digit-studio://app/../secret.txt',
      'digit-studio://app/%2e%2e/secret.txt',
      'digit-studio://app/assets/..%2F..%2Fsecret.txt',
      'digit-studio://app/..%5Csecret.txt',
      'digit-studio://app/%00',
      'digit-studio://app/%E0%A4%A',
      'digit-studio://other/index.html',
      'digit-studio://app/missing.js',
    ]) {
      const res = await handler({ url });
      assert.equal(res.status, 404, url);
      assert.doesNotMatch(await res.text(), /secret/, url);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('URL → file mapping also holds for Windows paths', () => {
  const dir = 'C:\\Program Files\\Digit Studio\\resources\\app.asar\\out\\renderer';
  assert.equal(resolveAppUrl('digit-studio://app/assets/a.js', dir, path.win32), `${dir}\\assets\\a.js`);
  for (const url of ['digit-studio://app/..%5C..%5Cx', 'digit-studio://app/C:%5CWindows%5Cwin.ini', 'digit-studio://app/%5C%5Cserver%5Cshare']) {
    const file = resolveAppUrl(url, dir, path.win32);
    assert.ok(file === null || file.startsWith(dir + '\\'), `${url} → ${file}`);
  }
  assert.equal(isAppUrl('digit-studio://app:8080/'), false);
  assert.equal(isAppUrl('digit-studio://u:p@app/'), false);
});
