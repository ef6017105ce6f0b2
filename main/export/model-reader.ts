// Reads a model folder (model.json + its weights file + metadata.json) as plain data, without
// TensorFlow: the exporters work from the files themselves, so exporting needs no ML process. The
// same checks as loading a model for training (main/models/model-json.ts) apply, so a corrupt or
// hostile folder is refused with a UserError naming the file.
import path from 'node:path';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { readModelFolderBytes } from '../models/model-json';
import { MODEL_JSON, readMetadata, type ModelMetadata } from '../models/model-metadata';

export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

export interface LayerSpec {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

export interface ModelFiles {
  dir: string;
  /** model.json's text as read (the TF.js export copies it unchanged). */
  modelJsonText: string;
  /** The topology's class ("Sequential", "Model", "Functional"). */
  topologyClass: string;
  /** The layers in order, from input to output. */
  layers: LayerSpec[];
  weights: Map<string, WeightTensor>;
  /** The weights file's bytes, in manifest order. */
  weightsBytes: Buffer;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  metadata: ModelMetadata | null;
}

export async function readModelFolder(dir: string): Promise<ModelFiles> {
  const { root, text: modelJsonText, parsed, weights: bytes } = await readModelFolderBytes(dir);
  const weights = new Map<string, WeightTensor>();
  let offset = 0;
  for (const spec of parsed.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32') {
      throw new UserError(msg('export.float32Only', { file: path.join(root, MODEL_JSON), name: spec.name, dtype: spec.dtype }));
    }
    // Copied out: the buffer's offset may not be 4-aligned, and Float32Array views need it.
    const data = new Float32Array(n);
    Buffer.from(data.buffer).set(bytes.subarray(offset, offset + n * 4));
    weights.set(spec.name, { shape: spec.shape.slice(), data });
    offset += n * 4;
  }
  const topo = parsed.modelTopology as Record<string, unknown>;
  const { className, layers } = layersOf(topo, path.join(root, MODEL_JSON));
  return {
    dir: root,
    modelJsonText,
    topologyClass: className,
    layers,
    weights,
    weightsBytes: bytes,
    weightSpecs: parsed.weightSpecs.map((s) => ({ name: s.name, shape: s.shape.slice(), dtype: s.dtype })),
    metadata: await readMetadata(root),
  };
}

/**
 * The layers from input to output. Sequential models list them in order; a functional model is
 * accepted when it is a plain chain (each layer fed by the one before), which is all a digit
 * classifier from the app or the usual tools is. Branching graphs are refused, not guessed at.
 */
export function layersOfTopology(topo: Record<string, unknown>, file: string): LayerSpec[] {
  return layersOf(topo, file).layers;
}

function layersOf(topo: Record<string, unknown>, file: string): { className: string; layers: LayerSpec[] } {
  const bad = (why: string) => new UserError(msg('export.plan.refused', { file, why }), file);
  // tfjs writes {class_name, config: {name, layers}}; Keras 3 may nest it in "model_config".
  const top = (topo.model_config && typeof topo.model_config === 'object' ? topo.model_config : topo) as Record<string, unknown>;
  const className = String(top.class_name ?? '');
  const config = top.config as Record<string, unknown> | unknown[] | undefined;
  const raw = Array.isArray(config) ? config : Array.isArray(config?.layers) ? (config.layers as unknown[]) : null;
  if (!raw) throw bad(msg('export.plan.noTopologyLayers'));
  const layers: LayerSpec[] = raw.map((l, i) => {
    const o = (l ?? {}) as Record<string, unknown>;
    const cfg = (o.config && typeof o.config === 'object' ? o.config : {}) as Record<string, unknown>;
    const name = typeof cfg.name === 'string' ? cfg.name : typeof o.name === 'string' ? o.name : `layer_${i}`;
    return { className: String(o.class_name ?? ''), name, config: cfg };
  });
  if (className === 'Sequential') return { className, layers };
  if (className !== 'Model' && className !== 'Functional') throw bad(msg('export.plan.topology', { kind: className.slice(0, 40) }));
  // A chain: layer k's only input is layer k-1.
  for (let k = 0; k < raw.length; k++) {
    const nodes = (raw[k] as Record<string, unknown>).inbound_nodes;
    const inputs = inboundNames(nodes);
    if (k === 0 ? inputs.length !== 0 : inputs.length !== 1 || inputs[0] !== layers[k - 1]!.name) {
      throw bad(msg('export.plan.notChain', { name: layers[k]!.name }));
    }
  }
  return { className, layers };
}

/** Names of the layers feeding a layer, from Keras 2 style ([[["name", 0, 0, {}]]]) inbound nodes. */
function inboundNames(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return [];
  const names: string[] = [];
  for (const node of nodes) {
    if (!Array.isArray(node)) return ['?'];
    for (const entry of node) names.push(Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : '?');
  }
  return names;
}
