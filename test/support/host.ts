/**
 * A backend host for crash tests: opens the store at argv[2], launches the sweep given as JSON in argv[3] on real
 * trainer processes, prints `launched <runIds>` and keeps running until killed.
 */
import { ApiService } from '../../src/backend/api/service';
import { openStore } from '../../src/backend/store/open-store';
import { nodeTrainerLauncher } from '../../src/backend/trainers/node-launcher';

const [dbPath, sweepJson] = process.argv.slice(2);
const store = await openStore(dbPath as string);
const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: 2 });
await service.start();
const result = await service.handle('sweeps.launch', JSON.parse(sweepJson as string));
if (!result.ok) {
  console.error(result.error.message);
  process.exit(1);
}
console.log(`launched ${(result.value as { runIds: number[] }).runIds.join(',')}`);
setInterval(() => undefined, 1_000);
