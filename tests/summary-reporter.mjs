// A node:test reporter that writes nothing but Node's own end-of-run summary, as one JSON line:
// {"tests":N,"pass":N,"fail":N,"cancelled":N,"skipped":N,"todo":N,...}. tests/run.mjs gives it a
// file of its own (--test-reporter-destination), so the counts never depend on how much the spec
// reporter printed before them.
//
// The summary is the run's last block of diagnostics at nesting 0 that belong to no file: a test's
// own t.diagnostic() always carries its file, so it can't be mistaken for the summary.
const KEYS = new Set(['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo', 'duration_ms']);

export default async function* summaryReporter(source) {
  let summary = {};
  for await (const event of source) {
    if (event.type !== 'test:diagnostic') continue;
    const { nesting, file, message } = event.data;
    if (nesting !== 0 || file) continue;
    const m = /^(\w+) ([\d.]+)$/.exec(String(message));
    if (!m || !KEYS.has(m[1])) continue;
    if (m[1] === 'tests') summary = {}; // a new summary block starts with "tests"
    summary[m[1]] = Number(m[2]);
  }
  yield `${JSON.stringify(summary)}\n`;
}
