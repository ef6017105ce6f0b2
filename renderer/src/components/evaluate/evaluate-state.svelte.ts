// The Evaluate place's state at module level, so results (and running evaluations) survive
// leaving the place and coming back. Slot 'a' is the model being measured, 'b' the optional one
// it is compared with.
import type { Evaluation } from '../../../../preload/contract';
import type { Cell } from './metrics';

export type Slot = 'a' | 'b';

export const evaluate = $state({
  modelA: null as string | null,
  modelB: null as string | null,
  compare: false,
  /** null until the user changes the selection: then every labelled dataset is used. */
  datasetIds: null as string[] | null,
  tasks: { a: null as string | null, b: null as string | null },
  results: { a: null as Evaluation | null, b: null as Evaluation | null },
  /** The result a task id was loaded into, so each is fetched once. */
  loaded: {} as Record<string, true>,
  error: null as string | null,
  /** Which model's matrix, metrics and gallery are shown when comparing. */
  detail: 'a' as Slot,
  cell: null as Cell | null,
  /** Set once the place has looked for an evaluation from before a reload. */
  reattached: false,
});
