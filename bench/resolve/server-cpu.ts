/**
 * CPU per request of a running server, from /proc: loads it with autocannon (10 connections)
 * with a cached `POST /v1/resolve` (django + requests) and with `GET /health`, and divides the
 * process's CPU time (user + system) by the requests answered. Figures only.
 *
 *   tsx bench/resolve/server-cpu.ts --url http://127.0.0.1:8080 --pid 1234 [--seconds 6]
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

function option(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const url = option('url');
const pid = option('pid');
const seconds = Number(option('seconds', '6'));
/** clock ticks a second (`getconf CLK_TCK`; 100 on Linux). */
const TICKS = 100;

const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

async function main(): Promise<void> {
  const body = JSON.stringify({ requirements: ['django', 'requests'] });
  const post = { url: `${url}/v1/resolve`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body };
  for (let i = 0; i < 2; i++) await fetch(post.url, post);
  for (const [name, options] of [
    ['POST /v1/resolve (cache hit)', post],
    ['GET /health', { url: `${url}/health` }],
  ] as const) {
    await autocannon({ ...options, connections: 10, duration: 1 });
    const before = cpuTicks();
    const result = await autocannon({ ...options, connections: 10, duration: seconds });
    const used = cpuTicks() - before;
    const perRequest = (used / TICKS / result.requests.total) * 1e6;
    process.stdout.write(`${name}: ${Math.round(result.requests.average)} req/s, server CPU ${perRequest.toFixed(1)} us per request (non-2xx ${result.non2xx})\n`);
  }
}

void main();
