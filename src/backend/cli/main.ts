/**
 * The `proxima` command line. Each subcommand runs on the same backend services as the app.
 * `main(argv)` returns the exit code; bad flags exit non-zero with a clear message.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PROXIMA_VERSION } from '../../core/version';
import { webCommand } from './web';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number 0–65535');
  return port;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('proxima')
    .description('Proxima: a workbench for PPO experiments')
    .version(PROXIMA_VERSION)
    .exitOverride()
    .showHelpAfterError();
  let pending: Promise<number> = Promise.resolve(0);

  program
    .command('web')
    .description('serve the workbench to a browser on 127.0.0.1, guarded by a per-launch token')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 0)
    .option('--db <path>', 'SQLite database file (default ~/.proxima/proxima.db)')
    .action((opts: { port: number; db?: string }) => {
      pending = webCommand(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  try {
    return await pending;
  } catch (error) {
    console.error(`proxima: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
