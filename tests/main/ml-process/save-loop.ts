// Helper process for the "killed while saving" test: saves a model to argv[2] over and over,
// alternating two sets of weights, until it is killed.
import { loadTf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { saveModel } from '../../../main/ml-process/model-files';
import { testModelMetadata } from '../../helpers/ml-fixtures';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  await loadTf();
  const models = [buildModel('seed'), buildModel('seed')];
  for (let i = 0; ; i++) {
    await saveModel(models[i % 2]!, dir, testModelMetadata(`save ${i}`));
    if (i === 0) process.send?.('first-save-done');
  }
}
void main();
