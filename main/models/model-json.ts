// model.json of a TensorFlow.js layers model, parsed and checked without TensorFlow: the ML process
// (main/ml-process/model-files.ts) loads models through it, and the parent side (export, import into
// the model library) reads them with the same checks. A corrupt, foreign or hostile file gives a
// UserError naming the file and the problem.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { MODEL_JSON, readBounded } from './model-metadata';

/** Bounds that keep a hostile file from costing unbounded memory or time. */
export const MAX_MODEL_JSON_BYTES = 4 * 1024 * 1024;
export const MAX_WEIGHTS_BYTES = 256 * 1024 * 1024;
const MAX_LAYERS = 200;
const MAX_UNITS = 65536;
const MAX_FILTERS = 4096;
const MAX_JSON_DEPTH = 64;

function depthOf(v: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH) return depth;
  if (Array.isArray(v)) return v.reduce((m: number, x) => Math.max(m, depthOf(x, depth + 1)), depth);
  if (v && typeof v === 'object') return Object.values(v).reduce((m: number, x) => Math.max(m, depthOf(x, depth + 1)), depth);
  return depth;
}

export const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export interface ParsedModelJson {
  modelTopology: object;
  weightSpecs: io.WeightsManifestEntry[];
  weightsPath: string;
}

/** Validates model.json's structure; throws UserError describing the first problem. */
export function parseModelJson(text: string, dir: string): ParsedModelJson {
  const file = path.join(dir, MODEL_JSON);
  const bad = (why: string) => new UserError(msg('model.unusable', { file, why }), file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad(msg('model.why.notJson'));
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad(msg('model.why.notObject'));
  if (depthOf(json) > MAX_JSON_DEPTH) throw bad(msg('model.why.tooDeep'));
  const j = json as Record<string, unknown>;
  if (j.format !== undefined && j.format !== 'layers-model') {
    throw bad(msg('model.why.format', { format: String(j.format) }));
  }
  const topo = j.modelTopology as Record<string, unknown> | undefined;
  if (!topo || typeof topo !== 'object' || Array.isArray(topo)) throw bad(msg('model.why.noTopology'));
  const manifest = j.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1) throw bad(msg('model.why.manifest'));
  const group = manifest[0] as Record<string, unknown>;
  if (!group || !Array.isArray(group.paths) || group.paths.length !== 1 || typeof group.paths[0] !== 'string') {
    throw bad(msg('model.why.oneFile'));
  }
  const weightsPath = group.paths[0] as string;
  if (
    !weightsPath ||
    path.isAbsolute(weightsPath) ||
    path.win32.isAbsolute(weightsPath) ||
    /[\\/]/.test(weightsPath) ||
    weightsPath === '.' ||
    weightsPath === '..' ||
    weightsPath.includes('\0')
  ) {
    throw bad(msg('model.why.outside', { path: weightsPath.slice(0, 80) }));
  }
  if (!Array.isArray(group.weights) || group.weights.length === 0) throw bad(msg('model.why.noWeights'));
  const specs: io.WeightsManifestEntry[] = [];
  for (const w of group.weights as unknown[]) {
    const s = w as Record<string, unknown>;
    if (!s || typeof s.name !== 'string' || !Array.isArray(s.shape) || typeof s.dtype !== 'string') {
      throw bad(msg('model.why.entry'));
    }
    if (!(s.dtype in DTYPE_BYTES)) throw bad(msg('model.why.dtype', { name: s.name.slice(0, 60), dtype: String(s.dtype).slice(0, 20) }));
    if (s.quantization !== undefined) throw bad(msg('model.why.quantized'));
    if (!s.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0 && (d as number) <= 1e8)) {
      throw bad(msg('model.why.shape', { name: s.name.slice(0, 60) }));
    }
    specs.push({ name: s.name, shape: s.shape as number[], dtype: s.dtype as 'float32' });
  }
  checkTopology(topo, bad);
  return { modelTopology: topo, weightSpecs: specs, weightsPath };
}

/** Rejects configurations that would make tfjs allocate absurd amounts while building the model. */
function checkTopology(topo: Record<string, unknown>, bad: (why: string) => UserError): void {
  const config = topo.config as Record<string, unknown> | undefined;
  const layers = (config && Array.isArray(config.layers) ? config.layers : Array.isArray(config) ? config : null) as
    | Record<string, unknown>[]
    | null;
  if (!layers) throw bad(msg('model.why.noLayers'));
  if (layers.length > MAX_LAYERS) throw bad(msg('model.why.tooManyLayers', { count: layers.length }));
  for (const layer of layers) {
    const c = (layer?.config ?? {}) as Record<string, unknown>;
    const num = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : null);
    const units = num('units');
    const filters = num('filters');
    if (units !== null && !(units >= 1 && units <= MAX_UNITS)) throw bad(msg('model.why.units', { units }));
    if (filters !== null && !(filters >= 1 && filters <= MAX_FILTERS)) throw bad(msg('model.why.filters', { filters }));
    const shape = c.batch_input_shape ?? c.batchInputShape;
    if (Array.isArray(shape) && shape.some((d) => d !== null && !(typeof d === 'number' && d >= 1 && d <= 4096))) {
      throw bad(msg('model.why.inputShape'));
    }
    const ks = c.kernel_size;
    if (Array.isArray(ks) && ks.some((d) => !(typeof d === 'number' && d >= 1 && d <= 64))) throw bad(msg('model.why.kernel'));
  }
}

export function expectedBytes(specs: io.WeightsManifestEntry[]): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype]!, 0);
}

/** A model folder's model.json, checked, and its weights file's bytes, checked against it. */
export interface ModelFolderBytes {
  root: string;
  /** model.json as read. */
  text: string;
  parsed: ParsedModelJson;
  weightsFile: string;
  weights: Buffer;
}

/**
 * Reads a model folder with every bound and check: the one reader behind loading a model (ML
 * process) and exporting one (main/export, without TensorFlow).
 */
export async function readModelFolderBytes(dir: string): Promise<ModelFolderBytes> {
  const root = path.resolve(dir);
  let st;
  try {
    st = await fs.stat(root);
  } catch (err) {
    throw new UserError(describeFsError(err, root), root);
  }
  if (!st.isDirectory()) throw new UserError(msg('model.notFolder', { file: root }), root);
  const text = (await readBounded(path.join(root, MODEL_JSON), MAX_MODEL_JSON_BYTES, 'model.json')).toString('utf8');
  const parsed = parseModelJson(text, root);
  const weightsFile = path.join(root, parsed.weightsPath);
  const weights = await readBounded(weightsFile, MAX_WEIGHTS_BYTES, msg('model.what.weights'));
  const expected = expectedBytes(parsed.weightSpecs);
  if (weights.length !== expected) {
    throw new UserError(msg('model.weightsSize', { file: weightsFile, size: weights.length, expected }), weightsFile);
  }
  return { root, text, parsed, weightsFile, weights };
}
