/**
 * Gzip level of the environment packer: size and time of levels 0 (stored: the cost of walking,
 * reading and tarring alone), 1, 6 and 9 on a real venv with numpy and pandas, built on the host from the local wheel folder.
 *
 *   npx tsx libs/envpack/bench/compression.bench.ts [--runs 3] [--levels 0,1,6,9] [--wheels /opt/pypi/files]
 *
 * Prints one line per level: median wall time of packDeterministic (walk + read + tar + gzip +
 * fsync), size, ratio to the uncompressed tar, and the sha256 (identical across runs); then the
 * median time of unpackEnv for each compressed level.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeRelocatable, packDeterministic, unpackEnv } from '@venvfarm/envpack';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag('--runs', '3'));
const levels = flag('--levels', '0,1,6,9').split(',').map(Number);
const wheels = flag('--wheels', '/opt/pypi/files');
const WANTED = [/^numpy-2\.2\.6-cp311-/, /^pandas-2\.3\.3-cp311-/, /^python_dateutil-2\.9\.0\.post0-/, /^pytz-/, /^tzdata-/, /^six-1\.17\.0-/];

async function main(): Promise<void> {
  const files = readdirSync(wheels);
  const picked = WANTED.map((re) => files.find((f) => re.test(f))).map((f, i) => {
    if (!f) throw new Error(`no wheel matching ${WANTED[i]} in ${wheels}`);
    return path.join(wheels, f);
  });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'envpack-bench-'));
  try {
    const venv = path.join(tmp, 'build', 'venv');
    execFileSync('python3.11', ['-m', 'venv', venv]);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
    let t0 = Date.now();
    execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--no-index', '--no-deps', ...picked], {
      env: { ...env, PIP_CONFIG_FILE: '/dev/null' },
      stdio: 'inherit',
    });
    const installMs = Date.now() - t0;
    t0 = Date.now();
    await makeRelocatable(venv, { buildPrefix: venv });
    console.log(`pip install: ${installMs} ms, makeRelocatable: ${Date.now() - t0} ms`);
    const raw = await packDeterministic(venv, path.join(tmp, 'raw.tar.gz'), { level: 0 });
    console.log(`venv: ${picked.map((p) => path.basename(p).split('-').slice(0, 2).join('-')).join(' ')}`);
    console.log(`entries ${raw.entries}, tar ≈ ${mb(raw.size)} (level 0), node ${process.version}, zlib ${process.versions.zlib}, ${runs} runs`);
    for (const level of levels) {
      const times: number[] = [];
      let last = { size: 0, sha256: '' };
      for (let r = 0; r < runs; r++) {
        const out = path.join(tmp, `l${level}.tar.gz`);
        rmSync(out, { force: true });
        const t0 = process.hrtime.bigint();
        last = await packDeterministic(venv, out, { level });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      console.log(
        `level ${level}: ${median.toFixed(0).padStart(6)} ms  ${mb(last.size).padStart(9)}  ${((100 * last.size) / raw.size).toFixed(1)}% of tar  sha256 ${last.sha256.slice(0, 16)}…`,
      );
    }
    for (const level of levels.filter((l) => l > 0)) {
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const into = path.join(tmp, `unpacked-${level}-${r}`, 'venv');
        const t0 = process.hrtime.bigint();
        await unpackEnv(path.join(tmp, `l${level}.tar.gz`), into);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        rmSync(path.dirname(into), { recursive: true, force: true });
      }
      times.sort((a, b) => a - b);
      console.log(`unpack level ${level}: ${times[Math.floor(times.length / 2)].toFixed(0).padStart(6)} ms (median, includes probing the interpreter)`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
