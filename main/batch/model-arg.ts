// What `--model` names: a model folder, or `builtin` for the base model that ships with the app.
// The one resolution lives with the built-in model (main/models/builtin-model.ts).
export { BUILTIN_MODEL_ID as BUILTIN_MODEL, resolveModelArg } from '../models/builtin-model';
