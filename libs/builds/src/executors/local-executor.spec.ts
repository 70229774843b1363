/**
 * The local executor with a real interpreter of this machine (pyenv or PATH): the same build
 * pipeline as Docker's, for the embedded default where no engine runs.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FileArtifactStore } from '@venvfarm/artifacts';
import { unpackEnv } from '@venvfarm/envpack';
import { buildKey } from '../build-key';
import { planBuild } from '../build-plan';
import { runBuild } from '../run-build';
import { LocalExecutor } from './local-executor';
import { BuildLimitError } from './build-executor';

const WHEELHOUSE = process.env.VENVFARM_WHEELHOUSE ?? '/opt/pypi/files';
const WHEELS = {
  six: ['1.17.0', 'six-1.17.0-py2.py3-none-any.whl'],
  idna: ['3.20', 'idna-3.20-py3-none-any.whl'],
} as const;

const sha256Of = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];

describe('the local executor', () => {
  let scratch: string;
  const executor = new LocalExecutor(['3.11']);

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'venvfarm-local-build-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const pins = Object.entries(WHEELS).map(([name, [version, filename]]) => ({ name, version, files: [{ filename, url: `file://${join(WHEELHOUSE, filename)}`, sha256: sha256Of(join(WHEELHOUSE, filename)) }] }));

  async function build(limits = { memoryBytes: 2 ** 30, cpus: 1, pids: 256, timeoutMs: 120_000 }) {
    const [target] = await executor.targets();
    const plan = planBuild('3.11', 'x86_64-manylinux_2_28', pins);
    const key = buildKey(plan, { builderDigest: target.builderDigest });
    const store = await FileArtifactStore.open(join(scratch, 'store'));
    const built = await runBuild({ key, plan, target, executor, store, limits, workRoot: join(scratch, 'work'), fetch: async (file) => createReadStream(new URL(file.url).pathname), onLog: () => undefined });
    return { key, built, target };
  }

  it('offers the interpreters it finds, named by path and version', async () => {
    const [target] = await executor.targets();
    expect(target).toMatchObject({ python: '3.11', arch: 'x86_64', pythonVersion: expect.stringMatching(/^3\.11\.\d+$/), builderDigest: expect.stringMatching(/^local:\/.*:3\.11\.\d+$/) });
  });

  it('builds a venv that works where it is unpacked', async () => {
    const { key } = await build();
    const dir = join(scratch, 'unpacked here');
    await unpackEnv(join(scratch, 'store', 'named', 'envs', `${key}.tar.gz`), dir);
    expect(execFileSync(join(dir, 'bin', 'python'), ['-c', 'import six, idna; print(six.__version__, idna.__version__)'], { encoding: 'utf8' }).trim()).toBe('1.17.0 3.20');
  });

  it('stops a build over its time limit', async () => {
    await expect(build({ memoryBytes: 2 ** 30, cpus: 1, pids: 256, timeoutMs: 50 })).rejects.toThrow(BuildLimitError);
  });
});
