import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { JobView } from '@venvfarm/queue';
import { describeFailure } from './resolve.command';
import { authorizationHeader } from './server-auth';

interface JobsCommandOptions {
  server: string;
  follow?: boolean;
  json?: boolean;
}

const FOLLOW_EVERY_MS = 1000;

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

/** One line about a job, for a terminal. */
export function describeJob(job: JobView): string {
  const p = job.progress;
  const projects = typeof p.planned === 'number' ? `${count(p.done)}/${p.planned} projects` : null;
  const counters = [
    projects,
    typeof p.files === 'number' ? `${p.files} files` : null,
    count(p.failed) > 0 ? `${p.failed} failed` : null,
    count(p.retries) > 0 ? `${p.retries} retries` : null,
  ].filter((part) => part !== null);
  const head = `job ${job.id} ${job.state}`;
  switch (job.state) {
    case 'queued':
      return job.attempts > 0 ? `${head} (attempt ${job.attempts} interrupted; waiting for a worker)` : `${head} (waiting for a worker)`;
    case 'running':
      return `${head} (attempt ${job.attempts})${typeof p.phase === 'string' ? `: ${p.phase}` : ''}${counters.length > 0 ? `, ${counters.join(', ')}` : ''}`;
    case 'retrying':
      return `${head} (attempt ${job.attempts} failed: ${job.error})`;
    case 'done':
      return `${head}${counters.length > 0 ? `: ${counters.join(', ')}` : ''}${typeof p.serialAfter === 'number' ? `, serial ${p.serialAfter}` : ''}`;
    case 'failed':
      return `${head} after ${job.attempts} attempts: ${job.error}`;
  }
}

async function fetchJob(server: string, id: string): Promise<JobView> {
  const response = await fetch(new URL(`/v1/mirror/jobs/${encodeURIComponent(id)}`, server), { headers: authorizationHeader('read') });
  const text = await response.text();
  if (!response.ok) throw new Error(describeFailure(response.status, text));
  return JSON.parse(text) as JobView;
}

/**
 * `venvfarm mirror jobs ID`: a mirror job's state and progress, asked of a server (a client
 * command, like resolve); `--follow` prints a line at each change until the job is done or
 * failed, and exits 1 when it failed.
 */
export function mirrorJobsCommand(): Command {
  return new Command('jobs')
    .description('show the state and progress of a mirror job (POST /v1/mirror/sync answers its id), asked of a venvfarm server')
    .argument('<id>', 'the job id')
    .option('--server <url>', 'the venvfarm server', process.env.VENVFARM_SERVER ?? 'http://127.0.0.1:8080')
    .option('--follow', 'keep printing its progress until it is done or failed')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, options: JobsCommandOptions) => {
      let last = '';
      for (;;) {
        const job = await fetchJob(options.server, id);
        const line = options.json ? JSON.stringify(job) : describeJob(job);
        if (line !== last) process.stdout.write(`${line}\n`);
        last = line;
        const finished = job.state === 'done' || job.state === 'failed';
        if (job.state === 'failed') process.exitCode = 1;
        if (!options.follow || finished) return;
        await sleep(FOLLOW_EVERY_MS);
      }
    });
}
