// The fixed ids of the dataset library (main/data/library.ts): the built-in MNIST sets and the
// user's handwriting set. Apart from the library class so that code which only needs to name a
// dataset (the guided flow, tests) doesn't pull in the whole library.
import { BUILTIN_SETS } from './builtin/sets';

/** The built-in MNIST training set (the id of the former starter, which it replaces). */
export const STARTER_ID = BUILTIN_SETS.find((s) => s.key === 'train')!.id;
/** The built-in MNIST test set, for evaluation. */
export const MNIST_TEST_ID = BUILTIN_SETS.find((s) => s.key === 'test')!.id;
/** The handwriting drawn in the app (and collected by the guided flow): one dataset that grows. */
export const CUSTOM_ID = 'custom';
export const CUSTOM_NAME = 'My handwriting';
