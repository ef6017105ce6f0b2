// Builds every handler of the contract from the small services in this folder, given the ports.
// The Electron glue, the CLI and the end-to-end harness all call this, so they run the same code.
import { CALL_NAMES, type Handlers } from '../../preload/contract';
import { DatasetLibrary } from '../data/library';
import { UserError } from '../util/errors';
import { AppService } from './app-service';
import { DataService } from './data-service';
import type { ServicePorts, Services } from './ports';
import { TaskRegistry } from './tasks';

export async function createServices(ports: ServicePorts): Promise<Services> {
  const tasks = new TaskRegistry({ emit: (task) => ports.emit('task', task), log: ports.log });
  const library = await DatasetLibrary.open(ports.dataDir);
  for (const problem of library.problems) ports.log(`datasets: ${problem}`);
  const data = new DataService(ports, tasks, library);
  // Interim: the ML client lands separately; until then the backend stays unknown (shown as "starting").
  const app = new AppService(ports, { backend: () => Promise.reject(new Error('the ML client is not wired in yet')) });

  const notYet = (name: string) => () => {
    throw new UserError(`"${name}" is not available yet in this build.`);
  };
  const handlers = Object.fromEntries(CALL_NAMES.map((name) => [name, notYet(name)])) as unknown as Handlers;
  Object.assign(handlers, {
    appInfo: () => app.appInfo(),
    listTasks: () => tasks.list(),
    cancelTask: ({ taskId }) => tasks.cancel(taskId),
    listDatasets: () => data.listDatasets(),
    importWithDialog: (args) => data.importWithDialog(args),
    importPaths: (args) => data.importPaths(args),
    datasetSamples: (args) => data.datasetSamples(args),
    sampleDetail: (args) => data.sampleDetail(args),
    setDatasetIncluded: (args) => data.setDatasetIncluded(args),
    removeDataset: (args) => data.removeDataset(args),
    addCustomSample: (args) => data.addCustomSample(args),
    listModels: () => [],
    listRuns: () => [],
    currentRun: () => null,
  } satisfies Partial<Handlers>);

  return {
    handlers,
    async dispose() {
      await tasks.dispose();
    },
  };
}
