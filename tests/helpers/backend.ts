// Which TensorFlow backend a test should see, so tests hold on every machine: native TensorFlow
// where @tensorflow/tfjs-node is installed, WASM where it isn't, and whatever DIGIT_STUDIO_BACKEND
// asks for (tests/run.mjs runs the TensorFlow tests a second time with it set to wasm).
import assert from 'node:assert/strict';
import type { BackendInfo } from '../../preload/contract';

export function nativeTensorFlowInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

export function expectedBackendKind(): BackendInfo['kind'] {
  const asked = process.env.DIGIT_STUDIO_BACKEND;
  if (asked === 'tensorflow' || asked === 'wasm' || asked === 'cpu') return asked;
  return nativeTensorFlowInstalled() ? 'tensorflow' : 'wasm';
}

/** The backend an ML process reported is the one this machine and environment call for, and says why. */
export function assertExpectedBackend(info: BackendInfo): void {
  const kind = expectedBackendKind();
  assert.equal(info.kind, kind, `backend ${info.kind} (${info.reason}), expected ${kind}`);
  if (kind === 'tensorflow') assert.equal(info.reason, 'native module loaded');
  else if (process.env.DIGIT_STUDIO_BACKEND) assert.match(info.reason, /requested by DIGIT_STUDIO_BACKEND/);
  else assert.match(info.reason, /^WASM: native module not installed$/);
}
