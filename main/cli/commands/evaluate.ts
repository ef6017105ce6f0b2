// `digit-studio evaluate --model <modelDir>|builtin --data <path>... [--json]`: accuracy, per-class
// precision and recall, and the confusion matrix. With --json the last line is exactly
// {"accuracy":F,"count":N,"perClass":[{"precision","recall","support"}×10],"confusion":[[10]×10]}.
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { MlClient } from '../../models/ml-client';
import { forkSpawner } from '../../models/fork-spawner';
import { resolveModelArg } from '../../models/builtin-model';
import { importToTemp } from '../support';

export async function evaluateCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { model: 'string', data: 'strings', json: 'boolean' });
  if (positional.length) throw new UserError(`unexpected argument "${positional[0]}" (data paths go after --data)`);
  if (typeof flags.model !== 'string' || !flags.model) throw new UserError('evaluate needs --model <modelDir>');
  const data = flags.data as string[] | undefined;
  if (!data?.length) throw new UserError('evaluate needs --data <path>...');
  const temp = await importToTemp(data, io, 'evaluation data');
  const client = new MlClient(forkSpawner());
  try {
    const r = await client.evaluate(resolveModelArg(flags.model), temp.files);
    if (flags.json === true) {
      io.out(JSON.stringify({ accuracy: r.accuracy, count: r.count, perClass: r.perClass, confusion: r.confusion }));
      return 0;
    }
    io.out(`Accuracy: ${(r.accuracy * 100).toFixed(2)}% on ${r.count} samples (${r.misclassifiedCount} wrong)`);
    io.out('digit  precision  recall  support');
    r.perClass.forEach((c, d) =>
      io.out(`  ${d}    ${(c.precision * 100).toFixed(1).padStart(6)}%  ${(c.recall * 100).toFixed(1).padStart(6)}%  ${String(c.support).padStart(7)}`),
    );
    io.out('confusion (rows: actual, columns: predicted)');
    io.out('     ' + Array.from({ length: 10 }, (_, d) => String(d).padStart(5)).join(''));
    r.confusion.forEach((row, d) => io.out(`  ${d}  ` + row.map((n) => String(n).padStart(5)).join('')));
    return 0;
  } finally {
    await client.dispose();
    await temp.cleanup();
  }
}
