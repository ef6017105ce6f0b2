// `digit-studio read --model <modelDir|builtin> <picture>... [--json]`: finds and reads every digit in each
// picture (main/read/). With --json, one line per picture:
// {"file","text","confidence","digits":[{"digit","confidence","box":[x,y,w,h]}]}.
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { MlClient } from '../../models/ml-client';
import { forkSpawner } from '../../models/fork-spawner';
import { mlClassifier, readPicture } from '../../read/read-picture';
import { existsSync, statSync } from 'node:fs';
import { resolveModelArg } from '../../models/builtin-model';

const round = (x: number, places = 4) => Math.round(x * 10 ** places) / 10 ** places;

export async function readCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { model: 'string', json: 'boolean' });
  if (typeof flags.model !== 'string' || !flags.model) throw new UserError('read needs --model <modelDir>');
  if (!positional.length) throw new UserError('read needs at least one picture: digit-studio read --model <dir> <picture>...');
  const modelDir = resolveModelArg(flags.model);
  // Checked before any picture is read: a wrong --model should fail at once, not after the pictures.
  if (!existsSync(modelDir) || !statSync(modelDir).isDirectory() || !existsSync(path.join(modelDir, 'model.json'))) {
    throw new UserError(`${flags.model}: not a model folder (model.json and weights.bin expected)`);
  }
  const client = new MlClient(forkSpawner());
  const classify = mlClassifier(client, modelDir);
  try {
    for (const file of positional) {
      const r = await readPicture({ path: path.resolve(file) }, classify, { name: file });
      if (flags.json === true) {
        io.out(
          JSON.stringify({
            file,
            text: r.text,
            confidence: round(r.confidence),
            digits: r.digits.map((d) => ({ digit: d.digit, confidence: round(d.confidence), box: d.box.map((v) => Math.round(v)) })),
          }),
        );
      } else {
        const sure = r.digits.map((d) => `${d.digit} ${(d.confidence * 100).toFixed(0)}%`).join(', ');
        io.out(`${file}: ${r.text.replace(/\n/g, ' / ')} (${(r.confidence * 100).toFixed(1)}%: ${sure})`);
      }
    }
    return 0;
  } finally {
    await client.dispose();
  }
}
