// `digit-studio predict --model <modelDir> <image>... [--json]`: reads each picture like the app
// does (decode, MNIST-style normalisation) and prints the digit. With --json, one line per image:
// {"file","digit","confidence","probabilities":[10]}.
import path from 'node:path';
import { parseArgs } from '../args';
import type { CliIo } from '../io';
import { UserError } from '../../util/errors';
import { imageFileToDigit } from '../../data/image-decode';
import { MlClient } from '../../models/ml-client';
import { forkSpawner } from '../../models/fork-spawner';

export async function predictCommand(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv, { model: 'string', json: 'boolean' });
  if (typeof flags.model !== 'string' || !flags.model) throw new UserError('predict needs --model <modelDir>');
  if (!positional.length) throw new UserError('predict needs at least one image: digit-studio predict --model <dir> <image>...');
  const inputs: Uint8Array[] = [];
  for (const file of positional) inputs.push(await imageFileToDigit({ path: path.resolve(file) }));
  const client = new MlClient(forkSpawner());
  try {
    const probs = await client.predict(path.resolve(flags.model), inputs);
    probs.forEach((p, k) => {
      let digit = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[digit]!) digit = c;
      const file = positional[k]!;
      if (flags.json === true) io.out(JSON.stringify({ file, digit, confidence: p[digit], probabilities: p }));
      else io.out(`${file}: ${digit} (${(p[digit]! * 100).toFixed(1)}%)`);
    });
    return 0;
  } finally {
    await client.dispose();
  }
}
