// The printable sheet as a PDF (written by hand: one page of vector strokes in the base PDF 1.4
// syntax, no fonts or images, so no PDF library is needed) or as a PNG (an SVG of the same strokes
// rasterised by sharp at 150 dpi).
import sharp from 'sharp';
import { sheetLayout, sheetStrokes, type Paper } from './layout';

const PT_PER_MM = 72 / 25.4;

export function sheetPdf(paper: Paper, order?: string): Buffer {
  const layout = sheetLayout(paper, order);
  const W = layout.width * PT_PER_MM;
  const H = layout.height * PT_PER_MM;
  const ops: string[] = ['1 J 1 j'];
  const f = (v: number) => v.toFixed(2);
  for (const group of sheetStrokes(layout)) {
    ops.push(`${group.grey.toFixed(2)} G ${f(group.width * PT_PER_MM)} w`);
    for (const line of group.lines) {
      // PDF's y axis points up from the bottom of the page.
      const pts = line.map(([x, y]) => `${f(x * PT_PER_MM)} ${f(H - y * PT_PER_MM)}`);
      ops.push(`${pts[0]} m ${pts.slice(1).map((p) => `${p} l`).join(' ')} S`);
    }
  }
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${f(W)} ${f(H)}] /Contents 4 0 R /Resources << >> >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Title (Digit Studio handwriting sheet) /Creator (Digit Studio) >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The sheet as an SVG document (drawn in mm, sized in pixels at `dpi`), for the PNG and for previews. */
export function sheetSvg(paper: Paper, order?: string, dpi = 150): string {
  const layout = sheetLayout(paper, order);
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(layout.width)}" height="${px(layout.height)}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  ];
  for (const group of sheetStrokes(layout)) {
    const g = Math.round(group.grey * 255);
    parts.push(`<g fill="none" stroke="rgb(${g},${g},${g})" stroke-width="${group.width}" stroke-linecap="round" stroke-linejoin="round">`);
    for (const line of group.lines) parts.push(`<polyline points="${line.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ')}"/>`);
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The sheet as a grayscale PNG at `dpi` (150 by default: an A4 page is 1240×1754). */
export async function sheetPng(paper: Paper, order?: string, dpi = 150): Promise<Buffer> {
  return sharp(Buffer.from(sheetSvg(paper, order, dpi))).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
}
