// What the guided flow is given by the services (and may be told by tests), and what its two long
// tasks (check.ts, fine-tune.ts) may do with the flow: read its record, change it (saved and
// announced, one change at a time), say what they are doing, and where the training file goes.
import type { EventName, Events, GuidePhase } from '../../preload/contract';
import type { Recipe } from '../../preload/recipe';
import type { DatasetLibrary } from '../data/library';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { TrainingManager } from '../models/training-manager';
import type { TaskRegistry } from '../services/tasks';
import type { FlowRecord } from './record';

export interface GuideDeps {
  dataDir: string;
  library: DatasetLibrary;
  models: ModelLibrary;
  ml: MlClient;
  manager: TrainingManager;
  tasks: TaskRegistry;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  log(line: string): void;
}

export interface GuideOptions {
  /** Overrides of FINETUNE_RECIPE (tests keep the fine-tune tiny); the app never sets this. */
  recipe?: Partial<Recipe>;
}

/** The flow as its tasks see it. */
export interface FlowAccess {
  readonly deps: GuideDeps;
  /** The record as it is now. */
  record(): FlowRecord;
  /** Applies `change` to the record as it is once the changes queued before it are done, saves it and announces it. */
  update(change: (rec: FlowRecord) => FlowRecord): Promise<void>;
  /** Resolves once the changes queued so far are saved. */
  settled(): Promise<unknown>;
  /** What the running task is doing now (announced with the state). */
  phase(phase: GuidePhase): void;
  /** The fine-tune's temporary training file (the user's samples that are not held out). */
  trainFile(): string;
}
