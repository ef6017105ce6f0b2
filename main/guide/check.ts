// Step 2 of Make it yours: the base model reads the held-out part of what was collected (chosen here
// once, seeded and stratified, and kept), and the MNIST test set once per model (other people's
// digits), on the warm ML process.
import type { TaskControl } from '../services/tasks';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { FlowAccess } from './deps';
import { checkOf, mnistAccuracy, readSamples } from './measure';
import { HELD_OUT_FRACTION, MIN_SAMPLES } from './record';
import { loadCollected } from './samples';
import { chooseHeldOut } from './split';

export async function runCheck(flow: FlowAccess, base: { id: string; name: string }, control: TaskControl): Promise<null> {
  const { deps } = flow;
  await flow.settled();
  const rec = flow.record();
  const { samples, missing } = await loadCollected(rec, deps.library);
  if (samples.length < MIN_SAMPLES) throw new UserError(msg('guide.tooFewToCheck', { min: MIN_SAMPLES, n: samples.length }));
  const heldOutKeys = chooseHeldOut(samples, rec.heldOut, HELD_OUT_FRACTION, rec.seed);
  if (!heldOutKeys.length) throw new UserError(msg('guide.noneHeldOut'));
  const held = new Set(heldOutKeys);
  flow.phase('reading');
  control.message(msg('guide.reading', { n: held.size }));
  const readings = await readSamples(deps.ml, deps.models, base.id, samples.filter((s) => held.has(s.key)));
  let mnist: number | null = rec.mnist[base.id] ?? null;
  if (mnist === null) {
    flow.phase('mnist');
    control.message(msg('guide.readingMnist'));
    mnist = await mnistAccuracy(deps.ml, deps.models, deps.library, base.id, {
      signal: control.signal,
      onProgress: (done, total) => control.progress({ done, total, unit: 'images' }),
    });
  }
  control.signal.throwIfAborted();
  const check = checkOf(base.id, base.name, readings, mnist);
  await flow.update((r) => ({
    ...r,
    step: 'check',
    heldOut: heldOutKeys,
    baseModelId: base.id,
    check,
    result: null,
    note: missing ? { kind: 'missing', count: missing } : null,
    mnist: mnist === null ? r.mnist : { ...r.mnist, [base.id]: mnist },
  }));
  control.message(msg('guide.checked', { model: base.name, pct: Math.round(check.accuracy * 100), n: check.count }));
  return null;
}
