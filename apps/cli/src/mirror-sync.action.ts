/** What `venvfarm mirror sync` runs: loaded when the command runs, with the mirror, the upstream client and the database. */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadConfig } from '@venvfarm/config';
import { AllowList, parseAllowList, ReleaseFilter, syncMirror } from '@venvfarm/mirror';
import { UpstreamClient } from '@venvfarm/upstream';
import type { SyncCommandOptions } from './mirror-sync.command';
import { SyncTerminal } from './progress/sync-progress';
import { withDatabase } from './with-database';

/** Reads an allow-list file; its unparsable lines are reported, not fatal. */
function readList(path: string, flag: string): AllowList {
  const list = parseAllowList(readFileSync(path, 'utf8'));
  for (const problem of list.problems) process.stderr.write(`venvfarm: ${flag} ${path}:${problem.line}: skipped "${problem.text}": ${problem.reason}\n`);
  return list;
}

export async function mirrorSync(options: SyncCommandOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const upstreamUrl = options.upstream ?? loadConfig(env, { dataDir: options.dataDir }).upstream;
  const include = options.include === undefined ? null : readList(options.include, '--include');
  const exclude = options.exclude === undefined ? null : readList(options.exclude, '--exclude');
  const terminal = new SyncTerminal();
  const upstream = new UpstreamClient(upstreamUrl, { onRetry: terminal.retry });
  const summary = await withDatabase(
    options,
    (db) =>
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
}
