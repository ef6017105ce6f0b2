// "Honest contrast", measured: in both the light and the dark theme, every piece of visible text in
// the shell and the Data and Train places has a WCAG contrast ratio of at least 4.5:1 against what
// is actually behind it (3:1 for large text). Disabled controls are exempt, as in WCAG.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';

let app: E2eApp;

useE2eSession((s) => {
  ({ app } = s);
});

/** Runs in the page: lists text whose contrast is below the WCAG AA threshold. */
function lowContrastText(): string[] {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (el: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let out: Rgba = [255, 255, 255, 1];
    for (const layer of layers.reverse()) out = over(layer, out);
    return out;
  };
  const luminance = ([r, g, b]: Rgba) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const problems: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || el.closest('[aria-hidden="true"], .visually-hidden, :disabled, [disabled]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1! + 0.05) / (l2! + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`${ratio.toFixed(2)}:1 "${text.slice(0, 40)}" (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}))`);
  }
  return problems;
}

async function check(page: Page, where: string): Promise<string[]> {
  // tsx compiles nested functions with esbuild's keepNames, whose __name helper the page lacks.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return (await page.evaluate(lowContrastText)).map((p) => `${where}: ${p}`);
}

test('text contrast is at least WCAG AA in both themes (shell, Data, Train)', async () => {
  const { page } = app;
  const problems: string[] = [];
  const backgrounds: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await app.open('data');
    backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await page.getByTestId('dataset-detail').waitFor();
    await page.getByTestId('sample-grid').locator('li').first().waitFor();
    problems.push(...(await check(page, `${scheme} data`)));
    await page.getByTestId('nav-train').click();
    await page.getByTestId('start-training').waitFor();
    problems.push(...(await check(page, `${scheme} train`)));
  }
  assert.deepEqual(problems, []);
  // The theme follows the system: light and dark really differ.
  assert.notEqual(backgrounds[0], backgrounds[1]);

  // The check itself can fail: grey #999 on white is 2.85:1.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => {
    const probe = document.createElement('p');
    probe.textContent = 'contrast probe';
    probe.id = 'probe';
    probe.style.color = '#999999';
    probe.style.background = '#ffffff';
    document.body.append(probe);
  });
  const found = await check(page, 'probe');
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0]!, /2\.85:1 "contrast probe"/);
});

/** Runs in the page: visible controls with no accessible name. */
function unlabelledControls(): string[] {
  const out: string[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [role="img"]')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const byLabelledBy = (el.getAttribute('aria-labelledby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join('');
    const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent ?? '').join('') : '';
    const name = [el.getAttribute('aria-label'), byLabelledBy, labels, el.getAttribute('title'), el.matches('button, a') ? el.textContent : '']
      .map((s) => (s ?? '').trim())
      .find((s) => s.length > 0);
    if (!name) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}

test('every visible control in the shell, Data and Train has an accessible name', async () => {
  const { page } = app;
  await app.open('data');
  await page.getByTestId('sample-grid').locator('li').first().waitFor();
  await page.evaluate('globalThis.__name ??= (f) => f');
  const missing = [...(await page.evaluate(unlabelledControls)).map((m) => `data: ${m}`)];
  await page.getByTestId('nav-train').click();
  await page.getByTestId('start-training').waitFor();
  missing.push(...(await page.evaluate(unlabelledControls)).map((m) => `train: ${m}`));
  assert.deepEqual(missing, []);

  // The check itself can fail: an icon-only button with no name is caught.
  await page.evaluate(() => {
    const probe = document.createElement('button');
    probe.id = 'nameless-probe';
    probe.append(document.createElement('span'));
    probe.style.width = '20px';
    probe.style.height = '20px';
    document.body.append(probe);
  });
  const found = await page.evaluate(unlabelledControls);
  assert.equal(found.length, 1);
  assert.match(found[0]!, /nameless-probe/);
});
