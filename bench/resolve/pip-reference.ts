/**
 * Real pip as the reference resolver: `pip install --dry-run --ignore-installed --report` against
 * an index, isolated from this machine's pip configuration (every PIP_* variable dropped,
 * PIP_CONFIG_FILE=/dev/null), as ../shared/bench/README.md prescribes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeName } from '@venvfarm/pep508';
import { Version } from '@venvfarm/pep440';

export interface PipResult {
  /** name → normalized version; null when pip found no solution. */
  readonly pins: Map<string, string> | null;
  readonly seconds: number;
  readonly stderr: string;
}

export const pinKey = (name: string, version: string) => `${normalizeName(name)}==${Version.tryParse(version)?.toString() ?? version}`;

export async function runPip(indexUrl: string, requirementsFile: string): Promise<PipResult> {
  const dir = mkdtempSync(join(tmpdir(), 'venvfarm-pip-'));
  const report = join(dir, 'report.json');
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
  env.PIP_CONFIG_FILE = '/dev/null';
  const args = ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--no-cache-dir', '--quiet', '--disable-pip-version-check', '--report', report, '-i', indexUrl, '-r', requirementsFile];
  const started = performance.now();
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn('python3', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-20_000)));
      child.on('error', fail);
      child.on('exit', (exitCode) => done({ code: exitCode, stderr: err }));
    });
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) return { pins: null, seconds, stderr };
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { install: { metadata: { name: string; version: string } }[] };
    const pins = new Map(parsed.install.map((i) => [normalizeName(i.metadata.name), Version.tryParse(i.metadata.version)?.toString() ?? i.metadata.version]));
    return { pins, seconds, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
