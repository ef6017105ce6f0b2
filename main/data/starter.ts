// The former built-in starter (10,000 digits, which the `mnist` package took from the MNIST
// training set) is now a view of the built-in training set (main/data/builtin/): the first 10,000
// digits of the training set, grouped by digit, exactly the digits the starter held. Tests and
// benchmarks use it for fixtures of real digits; the app itself lists the built-in sets instead.
import type { Dataset } from './dataset';
import { loadBuiltinDataset, takePerDigit } from './builtin/load';
import { MNIST_CREDIT } from './builtin/sets';

/** How many digits of the training set the starter took. */
export const STARTER_DIGITS = 10_000;
export const STARTER_CREDIT = MNIST_CREDIT;

/** The starter's digits: all 10,000, or the first `perDigit` of each digit. */
export async function loadStarterDataset(perDigit = Infinity): Promise<Dataset> {
  return takePerDigit(await loadBuiltinDataset('train'), perDigit, STARTER_DIGITS);
}
