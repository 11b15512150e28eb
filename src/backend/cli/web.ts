/** `proxima web`: the workbench in a browser, served on 127.0.0.1 with a per-launch token. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiService } from '../api/service';
import { openStore } from '../store/open-store';
import { nodeTrainerLauncher } from '../trainers/node-launcher';
import { startWebServer } from '../web/server';
import { storeLocation } from './session';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export async function webCommand(opts: { port: number; db?: string; store?: string; concurrency?: number }): Promise<number> {
  const staticDir = join(root, 'out/web');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the web renderer is not built (${staticDir}): run \`npm run build:web\` or \`npm run web\``);
  }
  const store = await openStore(storeLocation(opts));
  const service = new ApiService({ host: 'web', store, launcher: nodeTrainerLauncher(), concurrency: opts.concurrency });
  await service.start();
  const server = await startWebServer({ service, staticDir, port: opts.port });
  console.log(`Proxima web mode (${store.location.includes('://') ? 'store' : 'database'} ${store.location}) is serving on 127.0.0.1 only. Open this URL in a browser on this machine:`);
  console.log(server.url);
  console.log('Ctrl+C stops the server; runs still training are marked interrupted and can be resumed.');
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  await server.close();
  await service.close();
  return 0;
}
