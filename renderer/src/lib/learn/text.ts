// Every user-visible string of "Learn while you train" (issue 15) in one place, English, keyed by
// name, so the i18n catalogues can take them over in one move. `{name}` marks a value filled in
// by fill().
export const LEARN_TEXT = {
  // The toggle
  showExplanations: 'Show explanations',
  showExplanationsHint: 'Short notes on what happens while the model trains and what the settings mean.',

  // Under the hood
  underTheHood: 'Under the hood',
  underTheHoodIntro: 'The network layer by layer, what each convolution sees in this picture, and which pixels decided the reading.',
  layersHeading: 'The layers',
  layerShape: 'Output {shape}',
  layerParams: '{count} parameters',
  totalParams: '{count} parameters in all',
  filtersHeading: 'First-layer filters',
  filtersIntro: 'The {count} small patterns the first convolution learned to look for ({size} pixels each). Light: weight on ink; dark: weight against it.',
  mapsHeading: 'What each convolution sees',
  mapsIntro: 'Each small square is one filter\u2019s response over the picture: bright where it found its pattern.',
  mapsLayer: '{layer}: {count} maps of {size}',
  saliencyHeading: 'Which pixels decided',
  saliencyIntro: 'Green pixels pushed the reading toward {digit}; red ones toward {runnerUp}, the runner-up.',
  saliencyNone: 'Draw a digit or open a picture to see what the network sees.',
  saliencyAlt: 'Saliency map: pixels that pushed toward {digit} in green, toward {runnerUp} in red',
  inputAlt: 'The 28×28 input',
  loading: 'Looking inside…',
  inspectFailed: 'Could not look inside the model',

  // One plain sentence per kind of layer
  layer_conv: 'Convolution: slides small filters over the picture and reports where each one\u2019s pattern (an edge, a curve) appears.',
  layer_pool: 'Pooling: keeps the strongest response in each 2×2 patch, so the picture shrinks and small shifts matter less.',
  layer_batchnorm: 'Batch norm: rescales each filter\u2019s responses to a steady range, which makes training faster and steadier.',
  layer_activation: 'Activation (ReLU): keeps positive responses and sets the rest to zero.',
  layer_dropout: 'Dropout: while training, switches off random responses so the network can\u2019t rely on any single one; off when reading.',
  layer_flatten: 'Flatten: lays the maps out as one long list of numbers for the last layer.',
  layer_dense: 'Dense: every output weighs every input number.',
  layer_softmax: 'Output (softmax): weighs everything into ten scores and turns them into probabilities that add up to 100%.',
  layer_other: 'A layer of type {className}.',

  // Settings
  term_epoch: 'An epoch is one pass over every training image. More epochs give the model more time to learn, until it starts memorising instead.',
  term_batch: 'A batch is the group of images the model looks at before adjusting its weights once. Bigger batches are faster per image but take fewer, smoother steps.',
  term_learningRate: 'The learning rate is how big each adjustment is. Too small: slow progress. Too big: the loss jumps around, grows, or becomes NaN.',
  moreAbout: 'More about {term}',

  // Notes while training
  notesHeading: 'What is happening',
  note_diverged: 'The loss became NaN or infinite: the steps are too big. Start again with a smaller learning rate (try {suggested}).',
  note_lossRising: 'The loss is growing instead of shrinking: the learning rate ({rate}) is probably too high. Try {suggested}.',
  note_overfitting:
    'Training accuracy ({train}) is pulling ahead of validation accuracy ({val}): the model is starting to memorise its training images (overfitting). Try turning on augmentation, adding data, or fewer epochs; the best epoch is kept anyway.',
  note_plateau:
    'Validation accuracy has stayed near {val} for the last {epochs} epochs. More epochs will add little; augmentation, more data or the default network may help.',
  note_stillLearning: 'Validation accuracy was still rising in the last epoch ({gain} more): more epochs would likely help.',
  note_learning: 'Training and validation accuracy are rising together: the model is learning things that carry over to new images.',
  note_firstEpoch: 'Watch the loss: it should fall. The first epoch ends with a check on the validation images the model never trains on.',

  // After evaluation
  confusedHeading: 'Most confused',
  confusedNone: 'No digit was mistaken for another.',
  confusedIntro: 'The model mixes these up most:',
  confusedPair: '{a} and {b}: {count} mistakes',
  confusedLink: '{actual} read as {predicted} ({count})',
} as const;

export type LearnTextKey = keyof typeof LEARN_TEXT;

/** LEARN_TEXT[key] with each `{name}` replaced by values[name]. */
export function fill(key: LearnTextKey, values: Record<string, string | number> = {}): string {
  return LEARN_TEXT[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}
