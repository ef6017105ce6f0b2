// Why a model can't be exported, in the user's language: the same refusals (a model with no
// layers, a layer the exporter doesn't know) in English and Bengali, naming the model's file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setMessageLanguage } from '../../../main/i18n';
import { planModel } from '../../../main/export/layer-plan';

function refusal(layers: Parameters<typeof planModel>[0]['layers']): string {
  try {
    planModel({ dir: path.join('models', 'mine'), layers, weights: new Map() } as unknown as Parameters<typeof planModel>[0]);
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('the model was not refused');
}

const odd = [
  { className: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 28, 28, 1] } },
  { className: 'Conv3DTranspose', name: 'odd', config: {} },
] as unknown as Parameters<typeof planModel>[0]['layers'];

test('export refusals speak English by default and Bengali when asked, naming the file', () => {
  const file = path.join('models', 'mine', 'model.json');
  try {
    assert.equal(refusal([]), `${file}: can't export this model: it has no layers`);
    assert.match(refusal(odd), /layer "odd" \(Conv3DTranspose\) is a kind of layer the exporter doesn't know/);
    setMessageLanguage('bn');
    assert.equal(refusal([]), `${file}: এই মডেলটি রপ্তানি করা যাচ্ছে না: এতে কোনো স্তর (layer) নেই`);
    const bn = refusal(odd);
    assert.ok(bn.startsWith(`${file}: `) && bn.includes('"odd" (Conv3DTranspose)') && bn.includes('রপ্তানিকারক চেনে না'), bn);
  } finally {
    setMessageLanguage('en');
  }
});
