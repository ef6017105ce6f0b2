// The usage text and the README list every option each command takes and the exit codes, and the
// CLI's training limits are exactly the app's (preload/recipe.ts TRAIN_LIMITS, checked over IPC).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli-fixtures';
import { validateCallArgs } from '../../../main/ipc/validate-args';
import { TRAIN_LIMITS, DEFAULT_RECIPE } from '../../../preload/recipe';
import type { TrainSettings } from '../../../preload/contract';

const root = path.resolve(__dirname, '../../..');

// Every option a command's parser accepts, read from its source so a new option must be documented.
function optionsOf(command: string): string[] {
  const table = readFileSync(path.join(root, 'main/cli/commands/index.ts'), 'utf8');
  const fn = new RegExp(`^\\s+'?${command}'?: ([a-zA-Z]+),$`, 'm').exec(table)![1]!;
  const from = new RegExp(`import \\{[^}]*\\b${fn}\\b[^}]*\\} from '\\./([^']+)'`).exec(table)![1]!;
  const src = readFileSync(path.join(root, 'main/cli/commands', `${from}.ts`), 'utf8');
  const spec = /parseArgs\(argv, \{([\s\S]*?)\}\)/.exec(src)?.[1] ?? '';
  return [...spec.matchAll(/'?([a-z][a-z-]*)'?\s*:\s*'(?:boolean|string|number|strings)'/g)].map((m) => m[1]!);
}

test('usage text and README name every option of train, import, evaluate and predict, and the exit codes', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  const usage = r.out.join('\n');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const commandsDir = path.join(root, 'main/cli/commands');
  const table = readFileSync(path.join(commandsDir, 'index.ts'), 'utf8');
  const names = [...table.matchAll(/^\s+'?([a-z-]+)'?: [a-zA-Z]+Command,$/gm)].map((m) => m[1]!);
  assert.ok(names.includes('train') && names.includes('import'), names.join(', '));
  for (const command of names) {
    const options = optionsOf(command);
    assert.ok(options.length >= 1, `found the options of ${command}`);
    // The command's lines in the usage text: each from its name to the next command line.
    const block = [...usage.matchAll(new RegExp(`^  ${command} [\\s\\S]*?(?=^  [a-z-]+ |^\\S|^$|(?![\\s\\S]))`, 'gm'))].map((m) => m[0]).join('\n');
    for (const o of options) {
      assert.ok(block.includes(`--${o}`), `usage of ${command} names --${o}:\n${block}`);
      assert.ok(readme.includes(`--${o}`), `README names --${o} (${command})`);
    }
  }
  for (const text of [usage, readme]) {
    assert.match(text, /exit codes/i);
    assert.match(text, /\b0\b[^\n]*done/i);
    assert.match(text, /\b1\b[^\n]*cancel/i, 'exit code 1 covers a cancel with no model');
    assert.match(text, /\b2\b[^\n]*(bad|invalid) input/i);
  }
});

function appAccepts(patch: Partial<TrainSettings>): boolean {
  const settings: TrainSettings = {
    datasetIds: ['d1'], valSplit: DEFAULT_RECIPE.valSplit, model: 'seed', epochs: DEFAULT_RECIPE.epochs,
    batchSize: DEFAULT_RECIPE.batchSize, learningRate: DEFAULT_RECIPE.learningRate, augment: true, seed: 1,
    baseModelId: null, freezeFeatures: false, earlyStopping: true, name: 'x', ...patch,
  };
  try {
    validateCallArgs('startTraining', [settings]);
    return true;
  } catch {
    return false;
  }
}

test('the CLI refuses a training setting exactly where the app refuses it', async () => {
  const flags: [keyof typeof TRAIN_LIMITS, keyof TrainSettings, string][] = [
    ['epochs', 'epochs', '--epochs'],
    ['batchSize', 'batchSize', '--batch-size'],
    ['learningRate', 'learningRate', '--learning-rate'],
    ['valSplit', 'valSplit', '--val-split'],
    ['seed', 'seed', '--seed'],
  ];
  for (const [limit, field, flag] of flags) {
    const { min, max } = TRAIN_LIMITS[limit];
    // Just outside the limits: both refuse.
    for (const outside of [max * 2 + 1, min / 2 - 1]) {
      assert.equal(appAccepts({ [field]: outside }), false, `app refuses ${field}=${outside}`);
      const r = await runCli(['train', '--data', '/nonexistent.csv', '--out', '/tmp/x', flag, String(outside)]);
      assert.equal(r.code, 2, `${flag} ${outside}`);
      assert.match(r.err[0]!, new RegExp(`${flag} must be .*${min}.*${max}`), `${flag} names the app's limits`);
    }
    // The limits themselves: the app accepts them, and the CLI gets past the check (to the missing file).
    for (const edge of [min, max]) {
      assert.equal(appAccepts({ [field]: edge }), true, `app accepts ${field}=${edge}`);
      const r = await runCli(['train', '--data', '/nonexistent.csv', '--out', '/tmp/x', flag, String(edge)]);
      assert.equal(r.code, 2);
      assert.match(r.err[0]!, /nonexistent\.csv/, `CLI accepts ${flag} ${edge}: ${r.err[0]}`);
    }
  }
});
