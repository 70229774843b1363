import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { authorizationHeader } from './server-auth';

interface ResolveCommandOptions {
  requirement: string;
  constraint?: string;
  python?: string;
  platform?: string;
  format: 'json' | 'requirements.txt' | 'pylock.toml';
  prereleases?: string;
  excludeNewer?: string;
  server: string;
  noCache?: boolean;
}

/** What the server said when it did not answer 200, worded for a terminal. */
export function describeFailure(status: number, body: string): string {
  try {
    const error = JSON.parse(body) as { error?: string; detail?: string; field?: string; line?: number };
    const where = [error.field, error.line === undefined ? undefined : `line ${error.line}`].filter(Boolean).join(', ');
    return `${error.error ?? `HTTP ${status}`}${where ? ` (${where})` : ''}: ${error.detail ?? body}`;
  } catch {
    return `HTTP ${status}: ${body}`;
  }
}

/** `venvfarm resolve -r requirements.txt`: asks a venvfarm server for a pinned set and prints it. */
export function resolveCommand(): Command {
  return new Command('resolve')
    .description('resolve a requirements file on a venvfarm server and print the pinned set')
    .requiredOption('-r, --requirement <file>', 'requirements file ("-" reads stdin)')
    .option('-c, --constraint <file>', 'constraints file')
    .option('--python <version>', "target Python version (default: the server's)")
    .option('--platform <name>', "target platform, e.g. x86_64-manylinux_2_28 (default: the server's)")
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'requirements.txt', 'pylock.toml']).default('requirements.txt'))
    .addOption(new Option('--prereleases <policy>', 'pre-release policy').choices(['if-necessary', 'allow', 'disallow']))
    .option('--exclude-newer <date>', 'ignore files uploaded after this RFC 3339 date-time')
    .option('--no-cache', 'recompute instead of answering from the cache')
    .option('--server <url>', 'the venvfarm server', process.env.VENVFARM_SERVER ?? 'http://127.0.0.1:8080')
    .action(async (options: ResolveCommandOptions & { cache?: boolean }) => {
      const read = (file: string) => readFileSync(file === '-' ? 0 : file, 'utf8');
      const constraints = options.constraint === undefined ? undefined : read(options.constraint).split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
      const body = {
        requirements_txt: read(options.requirement),
        ...(constraints === undefined ? {} : { constraints }),
        ...(options.python === undefined ? {} : { python: options.python }),
        ...(options.platform === undefined ? {} : { platform: options.platform }),
        ...(options.prereleases === undefined ? {} : { prereleases: options.prereleases }),
        ...(options.excludeNewer === undefined ? {} : { exclude_newer: options.excludeNewer }),
        format: options.format,
      };
      const response = await fetch(new URL('/v1/resolve', options.server), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...authorizationHeader('read'), ...(options.cache === false ? { 'Cache-Control': 'no-cache' } : {}) },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(describeFailure(response.status, text));
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : text);
    });
}
