// A plan (main/export/layer-plan.ts) as JSON plus one float32 weights block, so the web page can
// carry it inline: every weight array in the JSON becomes {"w": offset, "n": length} into the block.
// Used by the exporter (Node) and by the page (browser); nothing here needs either.
import type { Plan, PlanStep } from '../layer-plan';

interface Ref {
  w: number;
  n: number;
}

export function encodePlan(plan: Plan): { json: string; weights: Float32Array } {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const ref = (a: Float32Array): Ref => {
    chunks.push(a);
    const r = { w: offset, n: a.length };
    offset += a.length;
    return r;
  };
  const steps = plan.steps.map((s) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      if (v instanceof Float32Array) out[k] = ref(v);
      else if (v && typeof v === 'object' && 'data' in v && (v as { data: unknown }).data instanceof Float32Array) {
        const t = v as { shape: number[]; data: Float32Array };
        out[k] = { shape: t.shape, data: ref(t.data) };
      } else out[k] = v;
    }
    return out;
  });
  const weights = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  return { json: JSON.stringify({ input: plan.input, output: plan.output, steps }), weights };
}

export function decodePlan(json: string, weights: Float32Array): Plan {
  const raw = JSON.parse(json) as { input: number[]; output: number[]; steps: Record<string, unknown>[] };
  const isRef = (v: unknown): v is Ref => !!v && typeof v === 'object' && typeof (v as Ref).w === 'number' && typeof (v as Ref).n === 'number';
  const view = (r: Ref) => weights.subarray(r.w, r.w + r.n);
  const steps = raw.steps.map((s) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      if (isRef(v)) out[k] = view(v);
      else if (v && typeof v === 'object' && isRef((v as { data: unknown }).data)) {
        const t = v as { shape: number[]; data: Ref };
        out[k] = { shape: t.shape, data: view(t.data) };
      } else out[k] = v;
    }
    return out as unknown as PlanStep;
  });
  return { input: raw.input, output: raw.output, steps };
}
