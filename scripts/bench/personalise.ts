// Make it yours (issue 18), measured through the real flow (main/guide/ behind the services, the real
// ML process): a synthetic writer whose style differs from MNIST (slanted, thick, wide, open loops;
// tests/helpers/synthetic-writer.ts) draws 100 digits on the pad (10 of each, rasterised by the pad's
// own rasteriser and normalised by the one normalisation), the base model is checked on the held-out
// 20%, fine-tuned with FINETUNE_RECIPE on the other 80, and read again.
//   personalise_before / personalise_after   accuracy on the flow's 20 held-out samples (coarse: 5% steps)
//   personalise_before_fresh / _after_fresh  the same two models on 500 more samples by the same writer,
//                                            never collected (a steadier figure for the same question)
//   personalise_seconds                      wall time of the fine-tune run (target: under a minute)
//   personalise_step_seconds                 wall time of the whole step, from "Fine-tune" to the before and after
//   personalise_cpu_seconds                  CPU time of that step in every process (the training process, the
//                                            warm ML process, this one): what the load can't change. Divided by
//                                            the cores the training uses (2: the replica thread) it estimates the
//                                            step's wall time on a quiet machine.
//   personalise_mnist_before / _after        accuracy on the MNIST test set (10,000 other people)
// The base model: the shipped one (resources/base-model, the library's built-in entry, as in the app),
// or $PERSONALISE_BENCH_MODEL copied into the temporary data folder. Timings share the machine: noisy.
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../bench';
import type { EventName, Events, GuideState, Task } from '../../preload/contract';
import { createServices } from '../../main/services/create-services';
import { forkSpawner } from '../../main/models/fork-spawner';
import type { MlProcessHandle } from '../../main/models/spawner';
import { builtinModelDir } from '../../main/models/builtin-model';
import { normalizeDigit } from '../../main/data/normalize';
import { QueuedDialogs } from '../../tests/harness/dialogs';
import { SLANTED_THICK_WRITER } from '../../tests/helpers/synthetic-writer';
import { padDrawing } from '../../tests/helpers/writer-strokes';

const PER_DIGIT = 10;
const FRESH_PER_DIGIT = 50;

/** CPU seconds from /proc/<pid>/stat: the process's own (utime + stime), or its waited-for children's (cutime + cstime). */
function procCpu(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5), counted from the state field (3): utime, stime, cutime, cstime, in ticks of 1/100 s.
  const [u, s, cu, cs] = [11, 12, 13, 14].map((i) => Number(f[i]));
  return ((children ? cu! + cs! : u! + s!) as number) / 100;
}


export default async function bench(report: Report): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-personalise-'));
  const dataDir = path.join(dir, 'data');
  const events: { name: EventName; payload: unknown }[] = [];
  const src = process.env.PERSONALISE_BENCH_MODEL ? path.resolve(process.env.PERSONALISE_BENCH_MODEL) : null;
  if (src) {
    await mkdir(path.join(dataDir, 'models'), { recursive: true });
    await cp(src, path.join(dataDir, 'models', 'bench-base'), { recursive: true });
    await writeFile(path.join(dataDir, 'models', 'active.json'), JSON.stringify({ id: 'bench-base' }));
  }
  // Every ML process and when it is gone, to count its CPU time.
  const spawned: { handle: MlProcessHandle; exited: Promise<void> }[] = [];
  const spawn = forkSpawner();
  const services = await createServices({
    dataDir,
    appVersion: 'bench',
    dialogs: new QueuedDialogs(),
    emit: (name, payload) => events.push({ name, payload }),
    spawnMl: () => {
      const handle = spawn();
      spawned.push({ handle, exited: new Promise((resolve) => handle.onExit(() => resolve())) });
      return handle;
    },
    log: () => undefined,
    builtinModelDir: src ? null : builtinModelDir(),
  });
  const h = services.handlers;
  const ended = (id: string) =>
    new Promise<Task>((resolve) => {
      const timer = setInterval(() => {
        const hit = events.find((e) => e.name === 'task' && (e.payload as Task).id === id && (e.payload as Task).state !== 'running');
        if (hit) {
          clearInterval(timer);
          resolve(hit.payload as Task);
        }
      }, 50);
    });
  try {
    let state = (await h.guideStart({ perDigit: PER_DIGIT, fresh: true })) as GuideState;
    if (!state.baseModelId) {
      console.error('bench personalise: no base model (ship resources/base-model or set PERSONALISE_BENCH_MODEL); skipped');
      return;
    }
    console.error(`bench personalise: base model ${state.baseModelName}`);
    const used = Array.from({ length: 10 }, () => 0);
    while (state.prompt !== null) {
      const d = state.prompt;
      const img = padDrawing(d, SLANTED_THICK_WRITER, used[d]!++);
      state = (await h.guideAddDrawing({ width: img.width, height: img.height, pixels: Buffer.from(img.pixels).toString('base64'), label: d })) as GuideState;
    }
    const check = await ended((await h.guideCheck()).id);
    if (check.state !== 'succeeded') throw new Error(`check failed: ${check.error}`);
    // CPU of the step: the processes alive before it (the warm ML process, this one), and the training
    // process it starts, counted once it has exited and been reaped (a child's time is its parent's then).
    const before = spawned.map(({ handle }) => ({ pid: handle.pid!, cpu: procCpu(handle.pid!) }));
    const self0 = process.cpuUsage();
    const children0 = procCpu('self', true);
    const t0 = performance.now();
    const tune = await ended((await h.guideFineTune()).id);
    if (tune.state !== 'succeeded') throw new Error(`fine-tune failed: ${tune.error}`);
    const stepSeconds = (performance.now() - t0) / 1000;
    const selfUsed = process.cpuUsage(self0);
    let cpu = (selfUsed.user + selfUsed.system) / 1e6 + before.reduce((sum, p) => sum + procCpu(p.pid) - p.cpu, 0);
    await Promise.all(spawned.slice(before.length).map((p) => p.exited));
    await new Promise((resolve) => setTimeout(resolve, 200));
    cpu += procCpu('self', true) - children0;
    state = (await h.guideState()) as GuideState;
    const result = state.result!;
    report('personalise_before', result.before.accuracy, 'fraction');
    report('personalise_after', result.after.accuracy, 'fraction');
    report('personalise_seconds', result.seconds, 's');
    report('personalise_step_seconds', stepSeconds, 's');
    report('personalise_cpu_seconds', cpu, 's');
    if (result.before.mnistAccuracy !== null) report('personalise_mnist_before', result.before.mnistAccuracy, 'fraction');
    if (result.after.mnistAccuracy !== null) report('personalise_mnist_after', result.after.mnistAccuracy, 'fraction');

    // 500 more samples of the same writer, never collected: both models read them.
    let right = [0, 0];
    let n = 0;
    for (let d = 0; d < 10; d++) {
      for (let k = 0; k < FRESH_PER_DIGIT; k++) {
        const img = padDrawing(d, SLANTED_THICK_WRITER, 1000 + k);
        const input = Buffer.from(normalizeDigit(img.pixels, img.width, img.height)).toString('base64');
        const [a, b] = await Promise.all([
          h.predictInput({ input, modelId: result.before.modelId }),
          h.predictInput({ input, modelId: result.modelId }),
        ]);
        right = [right[0]! + Number(a.digit === d), right[1]! + Number(b.digit === d)];
        n++;
      }
    }
    report('personalise_before_fresh', right[0]! / n, 'fraction');
    report('personalise_after_fresh', right[1]! / n, 'fraction');
  } finally {
    await services.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
