import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '@venvfarm/config';
import { AllowList, parseAllowList, ReleaseFilter, syncMirror } from '@venvfarm/mirror';
import { SyncTerminal } from './progress/sync-progress';
import { UpstreamClient } from '@venvfarm/upstream';
import { DatabaseOptions, withDatabase, withDatabaseOptions } from './database-options';

interface SyncCommandOptions extends DatabaseOptions {
  upstream?: string;
  include?: string;
  exclude?: string;
  incremental?: boolean;
  changesFrom: 'auto' | 'xml-rpc' | 'root-index';
  concurrency: number;
}

/** Reads an allow-list file; its unparsable lines are reported, not fatal. */
function readList(path: string, flag: string): AllowList {
  const list = parseAllowList(readFileSync(path, 'utf8'));
  for (const problem of list.problems) process.stderr.write(`venvfarm: ${flag} ${path}:${problem.line}: skipped "${problem.text}": ${problem.reason}\n`);
  return list;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** `venvfarm mirror sync`: metadata sync from an upstream simple index (full or incremental); settings from `env`. */
export function mirrorSyncCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return withDatabaseOptions(new Command('sync'))
    .description('sync project metadata from an upstream index (PEP 691/503 pages and PEP 658 .metadata files; no artifacts)')
    .option('--upstream <url>', 'upstream simple index (default: VENVFARM_UPSTREAM or https://pypi.org/simple/)')
    .option('--include <file>', 'allow-list in requirements.txt syntax: only these projects, and only the releases their specifiers admit')
    .option('--exclude <file>', 'deny-list in requirements.txt syntax: a bare name drops the project, a name with specifiers drops those releases')
    .option('--incremental', 'only what changed upstream since the last committed serial')
    .addOption(new Option('--changes-from <source>', 'how --incremental finds changes').choices(['auto', 'xml-rpc', 'root-index']).default('auto'))
    .option('--concurrency <n>', 'concurrent HTTP requests', positiveInt, 8)
    .action(async (options: SyncCommandOptions) => {
      const upstreamUrl = options.upstream ?? loadConfig(env, { dataDir: options.dataDir }).upstream;
      const include = options.include === undefined ? null : readList(options.include, '--include');
      const exclude = options.exclude === undefined ? null : readList(options.exclude, '--exclude');
      const terminal = new SyncTerminal();
      const upstream = new UpstreamClient(upstreamUrl, { onRetry: terminal.retry });
      const summary = await withDatabase(options, (db) =>
        syncMirror(db.pool, {
          upstream,
          filter: new ReleaseFilter(include, exclude),
          incremental: options.incremental ?? false,
          changesFrom: options.changesFrom,
          concurrency: options.concurrency,
          onProgress: terminal.progress,
          onFailure: terminal.failure,
        }),
        env,
      ).finally(() => terminal.stop());
      terminal.finish(summary);
    });
}
