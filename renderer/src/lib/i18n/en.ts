// Every string the renderer shows, in English. Keys are grouped by where they appear ("app.",
// "data.", …); {name} marks a value filled in by t(). bn.ts must give every key (a type error
// otherwise), and tests/renderer/i18n checks that no value is empty.
export const en = {
  // The shell (App.svelte, router, header)
  'app.places': 'Places',
  'app.version': 'Version {version}',
  'app.notConnected': 'Not connected',
  'app.notConnectedBody': 'This page runs inside Digit Studio. Start the app to use it.',
  'app.dropToImport': 'Drop to import as a dataset',
  'app.importDroppedFailed': 'Could not import the dropped files',
  'app.importing': 'Importing {what}…',
  'app.items': '{n} items',
  'app.shortcut': '{hint} (Ctrl+{n})',
  'app.mainUnreachable': 'Could not reach the main process',
  'app.listDatasetsFailed': 'Could not list the datasets',
  'app.listModelsFailed': 'Could not list the models',
  'app.somethingWrong': 'Something went wrong (no details were given).',
  'place.data': 'Data',
  'place.data.hint': 'Datasets to learn from',
  'place.train': 'Train',
  'place.train.hint': 'Train and fine-tune',
  'place.evaluate': 'Evaluate',
  'place.evaluate.hint': 'Measure a model',
  'place.predict': 'Predict',
  'place.predict.hint': 'Draw or open a digit',
  'backend.starting': 'Starting TensorFlow…',
  'backend.tensorflow': 'Native TensorFlow',
  'backend.wasm': 'WebAssembly',
  'backend.cpu': 'Plain JavaScript (slow)',
  'backend.notYet': 'the ML process has not reported yet',
  // Language and digits (the header's switch)
  'lang.label': 'Language',
  'lang.digits': 'Bengali digits (০–৯)',
  'lang.digitsHint': 'Show numbers and readings with Bengali digits',
  'lang.saveFailed': 'Could not save the language setting',
  // Toasts
  'toast.dismiss': 'Dismiss',
  'toast.notifications': 'Notifications',
  // Durations
  'time.s': '{s} s',
  'time.minS': '{m} min {s} s',
  'time.hMin': '{h} h {m} min',
  'place.mine': 'Make it yours',
  'place.mine.hint': 'Teach it your handwriting',
} as const;

export type Key = keyof typeof en;
/** The shape every language must fill: exactly the English keys, each a string. */
export type Catalogue = { readonly [K in Key]: string };
