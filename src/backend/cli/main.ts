/**
 * The `proxima` command line. Each subcommand runs on the same backend services as the app.
 * `main(argv)` returns the exit code: 0 on success, 1 when the work failed (a bad config, a failed run),
 * 2 for bad flags; every failure prints a clear message on stderr.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ALGORITHM_LABELS, ALGORITHMS } from '../../core/training/config';
import { ALGORITHM_PRESETS, TUNED_PRESET } from '../../core/training/presets';
import { PROXIMA_VERSION } from '../../core/version';
import { exportCommand, importCommand, resumeCommand, runsCommand, showCommand, sweepCommand, trainCommand } from './commands';
import { maskSecrets } from '../store/store-url';
import { cancelCommand, workerCommand } from './cluster';
import { CliError } from './session';
import { webCommand } from './web';

function integer(label: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${label} (an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''})`);
    }
    return n;
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `PPO: zoo | sb3-defaults | …; A2C: …`: each algorithm's presets, its tuned one first. */
function presetHelp(): string {
  return ALGORITHMS.map((a) => {
    const names = Object.keys(ALGORITHM_PRESETS[a]);
    return `${ALGORITHM_LABELS[a]}: ${[TUNED_PRESET[a], ...names.filter((n) => n !== TUNED_PRESET[a])].join(' | ')}`;
  }).join('; ');
}
const dbOption = (): Option => new Option('--db <path>', 'SQLite database file (default ~/.proxima/proxima.db)');
const storeOption = (): Option =>
  new Option(
    '--store <url>',
    'a PostgreSQL store instead of --db: postgresql://user@host:5432/database[?sslmode=verify-full]; credentials from the URL or the environment (PGPASSWORD, PGUSER, ... as libpq reads them)',
  );
const jsonOption = (): Option => new Option('--json', 'machine-readable JSON output');

export async function main(argv: string[]): Promise<number> {
  const program = new Command('proxima')
    .description(`Proxima: a workbench for PPO and its ancestors (algorithms: ${ALGORITHMS.join(', ')})`)
    .version(PROXIMA_VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let pending: Promise<number> = Promise.resolve(0);
  const run = (task: () => Promise<number>) => () => {
    pending = task();
  };

  program
    .command('web')
    .description('serve the workbench to a browser on 127.0.0.1, guarded by a per-launch token')
    .option('--port <port>', 'port to listen on (0 = any free port)', integer('a port', 0, 65535), 0)
    .option('--concurrency <n>', 'runs training at once (default: number of cores)', integer('a count', 1, 256))
    .addOption(dbOption())
    .addOption(storeOption())
    .action((opts: { port: number; db?: string; store?: string; concurrency?: number }) => run(() => webCommand(opts))());

  program
    .command('train')
    .description('train one run with a progress bar, then print the final evaluation')
    .requiredOption('--env <id>', 'Gymnasium environment id, e.g. CartPole-v1')
    .addOption(new Option('--algo <name>', 'the algorithm').choices(ALGORITHMS).default('ppo'))
    .option('--preset <name>', `the algorithm's preset (default: its tuned one) — ${presetHelp()}`)
    .option('--seed <n>', 'seed', integer('a seed', 0), 0)
    .option('--steps <n>', 'total environment steps (overrides the preset)', integer('a step count', 1))
    .option('--set <key=value>', "override a config field of the algorithm (repeatable; SB3 names accepted)", collect, [])
    .option('--backend <name>', 'auto | tfjs-node | wasm | cpu')
    .option('--out <dir>', 'also write progress.csv, config.json and the policy (tfjs model directory) here')
    .option('--dry-run', 'print the resolved config and exit without training')
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((opts) => run(() => trainCommand(opts))());

  program
    .command('sweep')
    .description(`run a sweep spec (JSON or YAML): grid/random axes × seeds, on every core; \`algorithm\` (${ALGORITHMS.join(', ')}) may be an axis or an override`)
    .argument('<spec>', 'sweep spec file')
    .option('--concurrency <n>', 'runs training at once (default: number of cores)', integer('a count', 1, 256))
    .option('--set <key=value>', 'override a config field in every trial (repeatable)', collect, [])
    .option('--dry-run', 'print the trials (algorithm, seed, varied values) and exit without training')
    .option('--wait', 'with --store: follow the cluster sweep to its end with a progress bar (exit 1 if a trial did not complete)')
    .option('--priority <n>', 'with --store: queue priority of its trials (higher first)', integer('a priority', -1000, 1000))
    .option('--retries <n>', 'with --store: retries of a failed trial (default 1)', integer('a count', 0, 100))
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((file: string, opts) => run(() => sweepCommand({ ...opts, file }))());

  program
    .command('worker')
    .description('train trials of a cluster: pull them from the queue in --store, train them here; SIGTERM drains (its trials go back to the queue)')
    .option('--concurrency <n>', 'trials training at once (default: number of cores)', integer('a count', 1, 256))
    .option('--name <name>', 'worker name shown in the app (default: host-pid)')
    .addOption(storeOption())
    .action((opts) => run(() => workerCommand(opts))());

  program
    .command('cancel')
    .description('cancel trials of a cluster (--store): queued ones at once, running ones within seconds')
    .argument('<runs...>', 'run ids')
    .addOption(jsonOption())
    .addOption(storeOption())
    .action((runs: string[], opts) => run(() => cancelCommand({ ...opts, runs: runs.map(integer('a run id', 1)) }))());

  program
    .command('runs')
    .description('list runs')
    .option('--filter <text>', 'e.g. "CartPole algorithm=ppo objective=clip ent_coef>0 status=completed eval/mean_return>400 best(rollout/ep_return)>450"', '')
    .option('--all', 'include hidden runs')
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((opts) => run(() => runsCommand(opts))());

  program
    .command('show')
    .description('show one run: status, final evaluation, checkpoints, metrics, config')
    .argument('<run>', 'run id', integer('a run id', 1))
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((runId: number, opts) => run(() => showCommand({ ...opts, run: runId }))());

  program
    .command('export')
    .description('export a run or a sweep as CSV (SB3 progress.csv names) or a JSON bundle, or a policy as a tfjs model directory')
    .argument('[run]', 'run id', integer('a run id', 1))
    .option('--sweep <id>', 'export a whole sweep', integer('a sweep id', 1))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'bundle', 'policy']).default('csv'))
    .option('--out <path>', 'output file (directory for --format policy)')
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((runId: number | undefined, opts) => run(() => exportCommand({ ...opts, run: runId }))());

  program
    .command('import')
    .description('import a JSON bundle written by `proxima export --format bundle`')
    .argument('<file>', 'bundle file')
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((file: string, opts) => run(() => importCommand({ ...opts, file }))());

  program
    .command('resume')
    .description('resume an interrupted, failed or cancelled run from its last checkpoint')
    .argument('<run>', 'run id', integer('a run id', 1))
    .addOption(jsonOption())
    .addOption(dbOption())
    .addOption(storeOption())
    .action((runId: number, opts) => run(() => resumeCommand({ ...opts, run: runId }))());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  try {
    return await pending;
  } catch (error) {
    // A driver's message may quote a connection string: no password reaches the terminal.
    console.error(`proxima: ${maskSecrets(error instanceof Error ? error.message : String(error))}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
