// Fixture generator for sheet imports: the printable sheet (main/sheet/) rendered blank, real MNIST
// TEST digits "written" into its boxes (dark ink, random size and offset inside each box), then
// photographed like digit-photos.ts does (uneven light, noise, blur, JPEG). Deterministic per seed.
import sharp from 'sharp';
import { seededRandom } from '../../main/data/dataset-ops';
import { sheetLayout, type Paper } from '../../main/sheet/layout';
import { sheetPng } from '../../main/sheet/render';
import { enlargeBy, mnistDigits } from './number-photos';

export interface FilledSheet {
  buffer: Buffer;
  width: number;
  height: number;
  /** Each written digit: its row, label and box in the photo's pixels. */
  truth: { row: number; label: number; box: [number, number, number, number] }[];
}

export async function filledSheet(o: { paper?: Paper; order?: string; seed: number; dpi?: number; photo?: boolean; perRow?: number }): Promise<FilledSheet> {
  const paper = o.paper ?? 'a4';
  const dpi = o.dpi ?? 100;
  const layout = sheetLayout(paper, o.order);
  const blank = await sheetPng(paper, o.order, dpi);
  const { data, info } = await sharp(blank).raw().toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const page = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) page[i] = data[i * info.channels]!;
  const rand = seededRandom(o.seed);
  const { count, images, labels } = mnistDigits('test');
  const byLabel: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < count; i++) byLabel[labels[i]!]!.push(i);
  const px = (mm: number) => (mm / 25.4) * dpi;
  const truth: FilledSheet['truth'] = [];
  layout.rows.forEach((row, r) => {
    const label = Number(row.label);
    row.boxes.slice(0, o.perRow ?? row.boxes.length).forEach(([bx, by, side]) => {
      const pool = byLabel[label]!;
      const idx = pool[Math.floor(rand() * pool.length)]!;
      // The 28×28 digit's 20 px body fills 55–80% of the box.
      const size = (px(side) * (0.55 + rand() * 0.25) * 28) / 20;
      const s = size / 28;
      const big = enlargeBy(Float32Array.from(images.subarray(idx * 784, idx * 784 + 784)), 28, 28, s);
      const ox = Math.round(px(bx) + (px(side) - big.width) / 2 + (rand() - 0.5) * px(side) * 0.12);
      const oy = Math.round(px(by) + (px(side) - big.height) / 2 + (rand() - 0.5) * px(side) * 0.12);
      let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
      for (let y = 0; y < big.height; y++) {
        for (let x = 0; x < big.width; x++) {
          const a = big.data[y * big.width + x]! / 255;
          if (a <= 0) continue;
          const X = ox + x;
          const Y = oy + y;
          if (X < 0 || Y < 0 || X >= W || Y >= H) continue;
          page[Y * W + X] = Math.min(page[Y * W + X]!, 255 - a * 215);
          if (a > 0.3) {
            x0 = Math.min(x0, X); y0 = Math.min(y0, Y); x1 = Math.max(x1, X + 1); y1 = Math.max(y1, Y + 1);
          }
        }
      }
      truth.push({ row: r, label, box: [x0, y0, x1 - x0, y1 - y0] });
    });
  });
  const gray = Buffer.alloc(W * H);
  const photo = o.photo !== false;
  const light = photo ? [0.78 + rand() * 0.2, 0.78 + rand() * 0.2] : [1, 1];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const lit = light[0]! + ((light[1]! - light[0]!) * x) / W - (photo ? (0.08 * y) / H : 0);
      const noise = photo ? (rand() + rand() + rand() - 1.5) * 6 : 0;
      gray[y * W + x] = Math.max(0, Math.min(255, Math.round(page[y * W + x]! * lit + noise)));
    }
  }
  let img = sharp(gray, { raw: { width: W, height: H, channels: 1 } });
  if (photo) img = img.blur(0.6);
  const buffer = photo ? await img.jpeg({ quality: 85 }).toBuffer() : await img.png().toBuffer();
  return { buffer, width: W, height: H, truth };
}

/** Cells found at a written digit (their box centre inside its box) with the right label, as a fraction. */
export function cellsRight(found: { label: number; box: [number, number, number, number] }[], truth: FilledSheet['truth'], scale = 1): number {
  let right = 0;
  const used = new Set<number>();
  for (const t of truth) {
    const [tx, ty, tw, th] = t.box;
    const k = found.findIndex((f, i) => {
      if (used.has(i)) return false;
      const cx = (f.box[0] + f.box[2] / 2) * scale;
      const cy = (f.box[1] + f.box[3] / 2) * scale;
      return cx >= tx && cx <= tx + tw && cy >= ty && cy <= ty + th;
    });
    if (k >= 0) {
      used.add(k);
      if (found[k]!.label === t.label) right++;
    }
  }
  return truth.length ? right / truth.length : 0;
}
