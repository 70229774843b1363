/**
 * nginx as a benchmark's peer: a static file server on a loopback port, started from a
 * temporary prefix (configuration, pid, logs, temp paths) that is removed when it stops.
 *
 * `worker_processes 1` by default: venvfarm is one Node process, so one worker compares one
 * process with one process, and on a 2-core machine the load client needs the other core.
 * Access logs and ETags are off and keep-alive connections are never closed by count, so nginx
 * does the least a static server can do per request; `sendfile` is on.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NginxOptions {
  /**
   * The directory served at `/`. nginx's workers run as an unprivileged user when it is started
   * as root: the directory is made world-readable (0755) here, and what is in it must be too.
   */
  readonly root: string;
  /** A path (`/answer.json`) whose 200 says that nginx is serving. */
  readonly probePath: string;
  /** `default_type`: the Content-Type of files no `types` entry names. */
  readonly defaultType: string;
  /** Directives of the `http` block before `server` (`types`, `map`, `charset_types`); default `types { }`. */
  readonly http?: string;
  /** The `location` blocks of the server; default `location / { }`. */
  readonly locations?: string;
  /** `worker_processes`: a number or `auto`. Default 1 (see the module comment). */
  readonly workers?: string;
  /** nginx binary; default `$NGINX`, else `nginx` on PATH, else /usr/sbin/nginx. */
  readonly binary?: string;
}

/** A running nginx. */
export interface NginxServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops it (SIGTERM), waits for its exit and removes its prefix (not the root). */
  stop(): Promise<void>;
}

/** A port nobody listens on now (nginx cannot report the port it picked for `listen :0`). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

function nginxBinary(explicit: string | undefined): string {
  const candidates = [explicit, process.env.NGINX, 'nginx', '/usr/sbin/nginx'].filter((c): c is string => c !== undefined && c !== '');
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('nginx not found (set NGINX, or install it: apt-get install nginx-light)');
}

function nginxConfig(prefix: string, port: number, options: NginxOptions): string {
  const indent = (text: string, by: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => `${by}${line}`)
      .join('\n');
  return `daemon off;
master_process on;
worker_processes ${options.workers ?? '1'};
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
${indent(options.http ?? 'types { }', '  ')}
  default_type "${options.defaultType}";
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  etag off;
  server {
    listen 127.0.0.1:${port};
    root ${options.root};
${indent(options.locations ?? 'location / { }', '    ')}
  }
}
`;
}

/** Starts nginx serving `options.root` on a free loopback port; resolves once `probePath` answers 200. */
export async function startNginx(options: NginxOptions): Promise<NginxServer> {
  const binary = nginxBinary(options.binary);
  chmodSync(options.root, 0o755);
  const prefix = mkdtempSync(join(tmpdir(), 'venvfarm-nginx-'));
  let lastError = '';
  // The free port can be taken between the probe and nginx's bind: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    writeFileSync(join(prefix, 'nginx.conf'), nginxConfig(prefix, port, options));
    const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const url = `http://127.0.0.1:${port}`;
    const status = await firstStatus(`${url}${options.probePath}`, child);
    if (status === 200) {
      return {
        url,
        process: child,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
          rmSync(prefix, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    lastError = `${status === null ? 'no answer' : `HTTP ${status}`}; ${stderr}${existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : ''}`;
    if (status !== null) break;
  }
  rmSync(prefix, { recursive: true, force: true });
  throw new Error(`nginx did not start: ${lastError}`);
}

/** The status of the first answer from `url`, or null when the process exits (or 5 s pass) first. */
async function firstStatus(url: string, child: ChildProcess): Promise<number | null> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || child.signalCode !== null) return null;
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return res.status;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return null;
}

