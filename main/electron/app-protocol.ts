// The renderer is served from a private scheme, digit-studio://app/, rather than file://: it gets
// a real origin of its own (so 'self' in the content security policy means exactly our files, and
// IPC senders can be recognised by origin), and only files inside out/renderer can ever be served.
// This file holds the pure parts: URL → file mapping, MIME types and the policy itself.
import path from 'node:path';

export const APP_SCHEME = 'digit-studio';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a response header on everything the renderer loads (and the same as the <meta> policy in
 * renderer/index.html, plus frame-ancestors, which only works as a header). No 'unsafe-eval', no
 * inline scripts, no remote origins; pictures may be data:/blob: URLs (sample previews).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Parses a policy into directive → sources, for tests and comparisons. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** True when `url` is one of our renderer's pages (any path on our scheme and host). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

/**
 * The file inside `rendererDir` that `url` names, or null: wrong scheme or host, a path escaping the
 * folder (including percent-encoded dots and slashes), NUL bytes, or malformed escapes.
 */
export function resolveAppUrl(url: string, rendererDir: string, pathApi: path.PlatformPath = path): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = pathApi.resolve(rendererDir);
  const file = pathApi.resolve(root, '.' + pathname.replace(/\\/g, '/'));
  const rel = pathApi.relative(root, file);
  if (!rel || rel.startsWith('..') || pathApi.isAbsolute(rel)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers for every file we serve: the policy, and no content sniffing. */
export function responseHeaders(file: string): Record<string, string> {
  return {
    'content-type': mimeTypeFor(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
}
