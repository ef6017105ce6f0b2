// Renders resources/icon.svg (the source of truth) into every icon the platforms need:
//   resources/icon.png            512 px, the window icon and the About box
//   resources/icons/NxN.png       the Linux set (16–512), for AppImage and deb
//   resources/icon.ico            Windows: BMP entries up to 64 px (what old shells and NSIS read
//                                 best), PNG entries for 128 and 256
//   resources/icon.icns           macOS: PNG entries from 16 to 1024 (512@2x)
// Run `node scripts/make-icons.mjs` after changing the SVG, and commit the results (they are small:
// flat colours, quantised to a palette). `--check` renders in memory and only reports sizes.
import sharp from 'sharp';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');
const source = path.join(resources, 'icon.svg');

/** PNG of the icon at `size` px, palette-quantised (flat artwork: no visible loss, far smaller). */
export async function renderPng(size) {
  return sharp(source, { density: Math.max(72, Math.ceil((72 * size) / 1024) * 2) })
    .resize(size, size)
    .png({ palette: true, quality: 100, effort: 10, compressionLevel: 9 })
    .toBuffer();
}

/** Raw RGBA pixels of the icon at `size` px. */
async function renderRgba(size) {
  return sharp(source, { density: 144 }).resize(size, size).ensureAlpha().raw().toBuffer();
}

/** A 32-bit BMP (DIB) icon image: BITMAPINFOHEADER, bottom-up BGRA rows, then the AND mask. */
function dibEntry(rgba, size) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows + mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(0, 16); // BI_RGB
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = ((size - 1 - y) * size + x) * 4;
      const to = (y * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
    }
  }
  // The mask is ignored when alpha is present, but must be there: all zero (opaque).
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

export async function buildIco() {
  const entries = [];
  for (const size of [16, 24, 32, 48, 64]) entries.push({ size, data: dibEntry(await renderRgba(size), size) });
  for (const size of [128, 256]) entries.push({ size, data: await renderPng(size) });
  const head = Buffer.alloc(6 + 16 * entries.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(entries.length, 4);
  let offset = head.length;
  entries.forEach(({ size, data }, i) => {
    const at = 6 + 16 * i;
    head.writeUInt8(size >= 256 ? 0 : size, at);
    head.writeUInt8(size >= 256 ? 0 : size, at + 1);
    head.writeUInt16LE(1, at + 4);
    head.writeUInt16LE(32, at + 6);
    head.writeUInt32LE(data.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map((e) => e.data)]);
}

// ICNS types holding PNG data, by pixel size (retina types reuse the same pixels).
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

export async function buildIcns() {
  const pngs = new Map();
  const chunks = [];
  for (const [type, size] of ICNS_TYPES) {
    if (!pngs.has(size)) pngs.set(size, await renderPng(size));
    const data = pngs.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    chunks.push(head, data);
  }
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];

async function main() {
  const check = process.argv.includes('--check');
  const outputs = [['icon.png', await renderPng(512)]];
  for (const size of LINUX_SIZES) outputs.push([path.join('icons', `${size}x${size}.png`), await renderPng(size)]);
  outputs.push(['icon.ico', await buildIco()], ['icon.icns', await buildIcns()]);
  let total = 0;
  for (const [name, data] of outputs) {
    total += data.length;
    if (!check) {
      await mkdir(path.dirname(path.join(resources, name)), { recursive: true });
      await writeFile(path.join(resources, name), data);
    }
    console.log(`${check ? 'would write' : 'wrote'} resources/${name} (${data.length} bytes)`);
  }
  console.log(`total ${total} bytes`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
