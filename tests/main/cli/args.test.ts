// The CLI's argument parser: booleans take an explicit value only as --flag=value (true/false,
// yes/no, 1/0, anything else refused), and a bare `--` ends the options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../../main/cli/args';
import { UserError } from '../../../main/util/errors';

const spec = { augment: 'boolean', json: 'boolean', out: 'string', epochs: 'number', data: 'strings' } as const;

test('--flag=value on a boolean reads the value, and refuses what is not a yes or no', () => {
  for (const [value, expected] of [
    ['false', false], ['no', false], ['0', false], ['FALSE', false],
    ['true', true], ['yes', true], ['1', true], ['Yes', true],
  ] as const) {
    assert.equal(parseArgs([`--augment=${value}`], spec).flags.augment, expected, `--augment=${value}`);
  }
  assert.equal(parseArgs(['--augment'], spec).flags.augment, true, 'a bare boolean flag turns it on');
  for (const bad of ['maybe', '', '2', 'off!']) {
    assert.throws(() => parseArgs([`--augment=${bad}`], spec), (e: unknown) => e instanceof UserError && /--augment.*true or false/.test((e as Error).message), `--augment=${bad}`);
  }
});

test('a bare -- ends the options: everything after it is positional, even things that look like flags', () => {
  const r = parseArgs(['--json', '--', '--augment', 'file.png', '--'], spec);
  assert.deepEqual(r.positional, ['--augment', 'file.png', '--']);
  assert.equal(r.flags.json, true);
  assert.equal(r.flags.augment, undefined);
  // `--` also ends a list flag's values.
  const d = parseArgs(['--data', 'a.csv', 'b.csv', '--', 'c.png'], spec);
  assert.deepEqual(d.flags.data, ['a.csv', 'b.csv']);
  assert.deepEqual(d.positional, ['c.png']);
  // And `--` alone is not a file argument.
  assert.deepEqual(parseArgs(['--'], spec).positional, []);
});
