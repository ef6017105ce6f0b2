// Builds every handler of the contract from the small services in this folder, given the ports.
// The Electron glue, the CLI and the end-to-end harness all call this, so they run the same code.
import type { Handlers } from '../../preload/contract';
import { DatasetLibrary } from '../data/library';
import { MlClient } from '../models/ml-client';
import { ModelLibrary } from '../models/model-library';
import { RunHistory } from '../models/run-history';
import { TrainingManager } from '../models/training-manager';
import { messageOf } from '../util/errors';
import { AppService } from './app-service';
import { CrashWatch } from './crash-watch';
import { DataService } from './data-service';
import { EvaluationService } from './evaluation-service';
import { ExportService } from './export-service';
import type { ServicePorts, Services } from './ports';
import { markDataDir } from './data-dir-marker';
import { PredictionService } from './prediction-service';
import { BatchPredictionService } from './batch-prediction-service';
import { ReadingService } from './reading-service';
import { SheetService } from './sheet-service';
import { TaskRegistry } from './tasks';
import { TrainingService } from './training-service';
import { GuideFlow } from '../guide/flow';
import { InspectService } from './inspect-service';

export async function createServices(ports: ServicePorts): Promise<Services> {
  const crashWatch = new CrashWatch(ports.log);
  // Training and evaluations yield the CPU to the pad and the window (issue 12).
  const ml = new MlClient(crashWatch.wrap(ports.spawnMl), { backgroundLongWork: true });
  // Before the libraries create their folders: a new or empty folder is marked as ours (reset checks it).
  await markDataDir(ports.dataDir, ports.log);
  const [library, models, history] = await Promise.all([
    DatasetLibrary.open(ports.dataDir),
    ModelLibrary.open(ports.dataDir, ports.builtinModelDir ?? null),
    RunHistory.open(ports.dataDir),
  ]);
  for (const problem of library.problems) ports.log(`datasets: ${problem}`);
  for (const problem of models.problems()) ports.log(`models: ${problem.id}: ${problem.reason}`);

  const tasks = new TaskRegistry({ emit: (task) => ports.emit('task', task), log: ports.log });
  const app = new AppService(ports, ml);
  const data = new DataService(ports, tasks, library);
  const manager = new TrainingManager(ml, models, history);
  const training = new TrainingService(ports, tasks, data, manager, history, models, crashWatch);
  const evaluation = new EvaluationService(tasks, data, ml, models);
  const batch = new BatchPredictionService(ports, tasks, library, ml, models);
  const exporter = new ExportService(ports, models, library, ml);
  const prediction = new PredictionService(ports, ml, models);
  const inspector = new InspectService(ml, models, prediction);
  const reading = new ReadingService(ports, ml, models, prediction);
  const sheets = new SheetService(ports, library);
  const guide = await GuideFlow.open({ dataDir: ports.dataDir, library, models, ml, manager, tasks, emit: (e, p) => ports.emit(e, p), log: (line) => ports.log(line) }, ports.guide);

  const handlers: Handlers = {
    appInfo: () => app.appInfo(),
    uiSettings: () => app.uiSettings(),
    setUiSettings: (args) => app.setUiSettings(args),

    listDatasets: () => data.listDatasets(),
    importWithDialog: (args) => data.importWithDialog(args),
    importPaths: (args) => data.importPaths(args),
    datasetSamples: (args) => data.datasetSamples(args),
    sampleDetail: (args) => data.sampleDetail(args),
    setDatasetIncluded: (args) => data.setDatasetIncluded(args),
    removeDataset: (args) => data.removeDataset(args),
    addCustomSample: (args) => data.addCustomSample(args),

    listTasks: () => tasks.list(),
    cancelTask: ({ taskId }) => tasks.cancel(taskId),

    startTraining: (settings) => training.startTraining(settings),
    currentRun: () => training.currentRun(),
    listRuns: () => training.listRuns(),
    getRun: (args) => training.getRun(args),

    listModels: () => models.list(),
    setActiveModel: (args) => training.setActiveModel(args),

    evaluate: (args) => evaluation.evaluate(args),
    getEvaluation: (args) => evaluation.getEvaluation(args),

    predictDrawing: (args) => prediction.predictDrawing(args),
    predictImageWithDialog: (args) => prediction.predictImageWithDialog(args),
    predictPath: (args) => prediction.predictPath(args),
    predictInput: (args) => prediction.predictInput(args),

    // Batch prediction (issue 17)
    predictDataset: (args) => batch.predictDataset(args),
    getBatchPrediction: (args) => batch.getBatchPrediction(args),
    batchReadings: (args) => batch.batchReadings(args),
    saveBatchPrediction: (args) => batch.saveBatchPrediction(args),
    // Export and model import (issue 14)
    exportModelWithDialog: (args) => exporter.exportModelWithDialog(args),
    exportDatasetWithDialog: (args) => exporter.exportDatasetWithDialog(args),
    importModelWithDialog: () => exporter.importModelWithDialog(),

    readNumberDrawing: (args) => reading.readNumberDrawing(args),
    readNumberWithDialog: (args) => reading.readNumberWithDialog(args),
    readNumberPath: (args) => reading.readNumberPath(args),
    readSheetWithDialog: (args) => sheets.readSheetWithDialog(args),
    saveSheet: (args) => sheets.saveSheet(args),
    makeSheetWithDialog: (args) => sheets.makeSheetWithDialog(args),

    // Learn: under the hood (issue 15)
    describeModel: (args) => inspector.describeModel(args),
    inspectInput: (args) => inspector.inspectInput(args),

    // Make it yours (issue 18): the guided flow (main/guide/)
    guideState: () => guide.state(),
    guideStart: (args) => guide.start(args),
    guideAddDrawing: (args) => guide.addDrawing(args),
    guideSkip: () => guide.skip(),
    guideUndo: () => guide.undo(),
    guideUseDatasets: (args) => guide.useDatasets(args),
    guideCollect: () => guide.collect(),
    guideCheck: () => guide.check(),
    guideFineTune: () => guide.fineTune(),
    guideUseModel: () => guide.useModel(),
    guideDismiss: () => guide.dismiss(),
  };

  // Start the ML process now, so the header names the backend soon after the window opens; then the
  // pad's own process, so the first stroke doesn't wait for TensorFlow to load (issue 12).
  void app.warmUp().then(() => ml.warm('pad'));

  return {
    handlers,
    ml: { trainingPids: () => ml.trainingPids() },
    async dispose() {
      await tasks.dispose();
      await Promise.resolve(ml.dispose()).catch((err) => ports.log(`ML client: ${messageOf(err)}`));
      await history.flush().catch((err) => ports.log(`run history: ${messageOf(err)}`));
    },
  };
}
