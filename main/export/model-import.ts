// Reads a TensorFlow.js layers model the user picked (its model.json, or a zip holding one, such as
// our own TF.js export) into the files of a model-library folder: one model.json whose weights are
// one weights.bin, and our metadata.json. Multi-shard and multi-group weights (as the TF.js
// converter writes them) are joined in manifest order, which is how TF.js itself reads them. Every
// read is bounded and every name checked (no path outside the model's folder or zip), and the result
// passes the same model.json checks as loading a model (main/models/model-json.ts). Whether TF.js
// can build it and whether it takes 28×28×1 and gives 10 is then checked by loading it in the ML
// process (the caller does that: main/services/export-service.ts).
import path from 'node:path';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DTYPE_BYTES, MAX_MODEL_JSON_BYTES, MAX_WEIGHTS_BYTES, expectedBytes, parseModelJson } from '../models/model-json';
import { METADATA_JSON, MODEL_JSON, WEIGHTS_BIN, readBounded, modelInputOf, type ModelMetadata } from '../models/model-metadata';
import { InflateBudget, isZip, openZip, readZipItem } from '../data/zip-read';
import { checkDigitPlan, planModel } from './layer-plan';
import { layersOfTopology, type WeightTensor } from './model-reader';
import type { ExportFile } from './tfjs-export';

const MAX_SHARDS = 1000;

/** Where the model's files are read from: a folder on disk or a zip. */
interface Source {
  label: string;
  read(name: string, max: number, what: string): Promise<Buffer>;
  has(name: string): boolean | Promise<boolean>;
  close(): Promise<void>;
}

export interface ImportedModel {
  files: ExportFile[];
  metadata: ModelMetadata;
}

/** `picked`: a model.json file or a .zip. */
export async function readModelForImport(picked: string, now = new Date()): Promise<ImportedModel> {
  const file = path.resolve(picked);
  const head = await readBounded(file, MAX_WEIGHTS_BYTES * 4, msg('model.what.modelFile')).catch((err) => {
    throw err instanceof UserError ? err : new UserError(msg('export.cantRead', { file }), file);
  });
  const source = isZip(head) ? await zipSource(file, head) : folderSource(file, head);
  try {
    return await readFrom(source, file, now);
  } finally {
    await source.close();
  }
}

function folderSource(file: string, modelJson: Buffer): Source {
  if (modelJson.length > MAX_MODEL_JSON_BYTES) throw new UserError(msg('export.modelJsonTooLarge', { file, size: modelJson.length }), file);
  const dir = path.dirname(file);
  return {
    label: file,
    read: async (name, max, what) => (name === MODEL_JSON ? modelJson : readBounded(path.join(dir, name), max, what)),
    has: async (name) => readBounded(path.join(dir, name), 1024 * 1024, name).then(() => true, () => false),
    close: async () => undefined,
  };
}

async function zipSource(file: string, bytes: Buffer): Promise<Source> {
  const zip = await openZip(file, undefined, bytes);
  // model.json at the top, or inside one folder (a zipped export folder).
  let prefix: string | null = null;
  for (let i = 0; i < zip.items.length; i++) {
    const name = zip.items.nameAt(i);
    const m = /^(?:([^/]+)\/)?model\.json$/.exec(name);
    if (m && (prefix === null || (m[1] ?? '') === '')) prefix = m[1] ? `${m[1]}/` : '';
  }
  if (prefix === null) {
    await zip.close();
    throw new UserError(msg('export.noModelJson', { file }), file);
  }
  const budget = new InflateBudget(MAX_MODEL_JSON_BYTES + MAX_WEIGHTS_BYTES + 2 * 1024 * 1024);
  return {
    label: file,
    async read(name, max, what) {
      const item = zip.items.find(prefix + name);
      if (!item) throw new UserError(msg('export.missingInZip', { file, what, name }), file);
      if (item.size > max) throw new UserError(msg('export.tooLargeInZip', { file, what, size: item.size, max }), file);
      return readZipItem(zip, item, budget, `${file}!${prefix}${name}`);
    },
    has: (name) => zip.items.find(prefix + name) !== null,
    close: () => zip.close(),
  };
}

async function readFrom(source: Source, file: string, now: Date): Promise<ImportedModel> {
  const bad = (why: string) => new UserError(msg('export.notLayersModel', { file, why }), file);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse((await source.read(MODEL_JSON, MAX_MODEL_JSON_BYTES, 'model.json')).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw bad(msg('model.why.notJson'));
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad(msg('model.why.notObject'));
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw bad(msg('export.why.format', { format: String(json.format).slice(0, 40) }));
  }
  const groups = json.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) throw bad(msg('export.why.noManifest'));
  const specs: unknown[] = [];
  const chunks: Buffer[] = [];
  let total = 0;
  let shards = 0;
  for (const g of groups as Record<string, unknown>[]) {
    if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw bad(msg('export.why.group'));
    specs.push(...(g.weights as unknown[]));
    for (const p of g.paths as unknown[]) {
      if (++shards > MAX_SHARDS) throw bad(msg('export.why.tooManyFiles'));
      const name = typeof p === 'string' ? p.replace(/^\.\//, '') : '';
      if (!name || name === '.' || name === '..' || /[\\/]/.test(name) || name.includes('\0') || path.isAbsolute(name)) {
        throw bad(msg('export.why.outside', { path: String(p).slice(0, 80) }));
      }
      const data = await source.read(name, MAX_WEIGHTS_BYTES - total, 'a weights file');
      total += data.length;
      chunks.push(data);
    }
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : null,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : null,
    modelTopology: json.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
  };
  const text = JSON.stringify(modelJson);
  // The app's own checks, reported against the file the user picked.
  const parsed = parseModelJson(text, path.dirname(file));
  const weights = Buffer.concat(chunks);
  if (weights.length !== expectedBytes(parsed.weightSpecs)) {
    throw bad(msg('export.why.size', { size: weights.length, expected: expectedBytes(parsed.weightSpecs) }));
  }
  checkShapesWhereKnown(parsed, weights, file);

  const theirs = (await source.has(METADATA_JSON)) ? await readOurMetadata(source) : null;
  const base = path.basename(file).toLowerCase() === MODEL_JSON ? path.basename(path.dirname(file)) : path.basename(file, path.extname(file));
  const metadata: ModelMetadata = {
    format: 'digit-studio-model',
    version: 1,
    name: theirs?.name ? `${theirs.name} (imported)` : `Imported ${base}`.slice(0, 100),
    arch: theirs?.arch === 'seed' ? 'seed' : 'default',
    architecture: theirs?.architecture ?? `imported TensorFlow.js layers model (${json.generatedBy ? String(json.generatedBy).slice(0, 60) : 'unknown tool'})`,
    createdAt: now.toISOString(),
    backend: theirs?.backend ?? '',
    trainedOn: theirs?.trainedOn ?? `imported from ${file}`,
    dataset: theirs?.dataset ?? { trainCount: 0, valCount: 0, perClass: [] },
    metrics: theirs?.metrics ?? null,
    baseModelId: null,
    runId: null,
    // Our own export of a model that reads deskewed digits keeps reading them (tfjs-export.ts);
    // anything else has no record and is fed the digits as they are.
    ...(modelInputOf(theirs).deskew ? { input: { deskew: true } } : {}),
  };
  return {
    metadata,
    files: [
      { name: MODEL_JSON, data: Buffer.from(text) },
      { name: WEIGHTS_BIN, data: weights },
      { name: METADATA_JSON, data: Buffer.from(JSON.stringify(metadata, null, 2) + '\n') },
    ],
  };
}

/**
 * For models made of layers the exporter knows (ours and most digit CNNs), the input and output
 * shapes are checked here, so the message names the user's file; other layer kinds are left to
 * TF.js's own load in the ML process.
 */
function checkShapesWhereKnown(parsed: ReturnType<typeof parseModelJson>, weights: Buffer, file: string): void {
  const map = new Map<string, WeightTensor>();
  let offset = 0;
  for (const s of parsed.weightSpecs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const bytes = n * DTYPE_BYTES[s.dtype]!;
    if (s.dtype === 'float32') {
      const data = new Float32Array(n);
      Buffer.from(data.buffer).set(weights.subarray(offset, offset + bytes));
      map.set(s.name, { shape: s.shape, data });
    }
    offset += bytes;
  }
  let plan;
  try {
    plan = planModel({ dir: path.dirname(file), layers: layersOfTopology(parsed.modelTopology as Record<string, unknown>, file), weights: map });
  } catch {
    return; // not a layer set we know: TF.js decides
  }
  checkDigitPlan(plan, path.dirname(file), file);
}

async function readOurMetadata(source: Source): Promise<Partial<ModelMetadata> | null> {
  try {
    const m = JSON.parse((await source.read(METADATA_JSON, 1024 * 1024, 'metadata.json')).toString('utf8')) as Partial<ModelMetadata>;
    return m && typeof m === 'object' && m.format === 'digit-studio-model' ? m : null;
  } catch {
    return null;
  }
}
