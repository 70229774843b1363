/**
 * The Docker executor (dockerode): the install runs in a builder image
 * (`venvfarm-builder:<python>`, docker/builder/) as uid 1000, with no network at all
 * (`NetworkMode: 'none'`: builds are hermetic and this workplace allows containers no
 * network), a read-only root with only the build directory and a small /tmp writable, all
 * capabilities dropped, and memory (no swap), CPU, process and wall-time limits. The staged
 * files are bind-mounted read-only; the venv is written into the bind-mounted build directory.
 *
 * Every container carries the labels of the worker that made it, and is removed when the build
 * ends, however it ends; a worker that dies leaves its containers behind, and the next worker
 * on the host removes them at start ({@link reapOrphans}).
 */
import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { BuildExecutor, BuildLimitError, BuildLimits, ExecutionResult, ExecutionSpec, ExecutorTarget, InstallFailedError, installScript, wheelScript } from './build-executor';
import { LineSplitter } from './line-splitter';
import { processAlive } from '../process-alive';

/** Labels on every build container. */
const LABEL_BUILD = 'org.venvfarm.build';
const LABEL_HOST = 'org.venvfarm.host';
const LABEL_PID = 'org.venvfarm.pid';
/** Label of builder images: the Python version they build for. */
const LABEL_PYTHON = 'org.venvfarm.python';

/** Where the build directory and the staged files are mounted inside. */
const BUILD_DIR = '/build';
const FILES_DIR = '/build/files';
/** Where Debian's builder images keep the pip wheel of their interpreter (python3-pip-whl). */
const PIP_WHEELS = '/usr/share/python-wheels';

/** The image name of a Python version's builder. */
export const builderImage = (python: string) => `venvfarm-builder:${python}`;


/** Starts `container` with its output (stdout and stderr) going to `onOutput`; answers its exit code once the output has ended. */
async function runAttached(container: Docker.Container, onOutput: (chunk: Buffer) => void): Promise<number> {
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const ended = new Promise<void>((resolve) => stream.once('end', resolve));
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (onOutput(chunk), done()) });
  container.modem.demuxStream(stream, sink, sink);
  await container.start();
  const { StatusCode: exitCode } = (await container.wait()) as { StatusCode: number };
  // The output may still be in flight after the exit: its stream ends with the container's.
  await ended;
  return exitCode;
}

export class DockerExecutor extends BuildExecutor {
  readonly kind = 'docker' as const;
  /** Containers this executor has made (a cache hit makes none). */
  containersCreated = 0;

  constructor(
    private readonly docker: Docker = new Docker(),
    /** Builder images to offer, by Python version. */
    private readonly pythons: readonly string[] = ['3.9', '3.11', '3.13'],
  ) {
    super();
  }

  /** Whether an engine answers. */
  async available(): Promise<boolean> {
    try {
      await this.docker.ping();
      return true;
    } catch {
      return false;
    }
  }

  async targets(): Promise<readonly ExecutorTarget[]> {
    const found: ExecutorTarget[] = [];
    for (const python of this.pythons) {
      let image;
      try {
        image = await this.docker.getImage(builderImage(python)).inspect();
      } catch {
        continue;
      }
      const labels = image.Config.Labels ?? {};
      found.push({
        python: labels[LABEL_PYTHON] ?? python,
        arch: image.Architecture === 'amd64' ? 'x86_64' : image.Architecture,
        glibc: labels['org.venvfarm.glibc'] ?? '2.17',
        pythonVersion: labels['org.venvfarm.python-version'] ?? python,
        builderDigest: image.Id,
      });
    }
    return found;
  }

  async run(spec: ExecutionSpec): Promise<ExecutionResult> {
    const venv = `${BUILD_DIR}/venv`;
    await this.execute(spec, installScript(venv, FILES_DIR, 'python3', PIP_WHEELS), 'pip install');
    return { venvDir: `${spec.workDir}/venv`, buildPrefix: venv };
  }

  async buildWheels(spec: ExecutionSpec, sdists: readonly string[]): Promise<string> {
    await this.execute(spec, wheelScript(`${BUILD_DIR}/tools`, FILES_DIR, `${BUILD_DIR}/wheels`, 'python3', PIP_WHEELS, sdists), 'pip wheel');
    return `${spec.workDir}/wheels`;
  }

  /** Runs `script` in a build container over `spec.workDir`, under the limits; `step` names it in errors. */
  private async execute(spec: ExecutionSpec, script: string, step: string): Promise<void> {
    const { limits } = spec;
    const lines = new LineSplitter(spec.onLog);
    const container = await this.create(spec.target, script, spec.key, limits, [`${spec.workDir}:${BUILD_DIR}:rw`, `${spec.workDir}/files:${FILES_DIR}:ro`]);
    const onAbort = () => void container.kill().catch(() => undefined);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      onAbort();
    }, limits.timeoutMs);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const exitCode = await runAttached(container, (chunk) => lines.push(chunk));
      lines.end();
      spec.signal?.throwIfAborted();
      if (timedOut) throw new BuildLimitError('time', `the build ran past its time limit of ${limits.timeoutMs / 1000} s and was stopped`);
      const state = (await container.inspect()).State;
      if (state.OOMKilled) throw new BuildLimitError('memory', `the build ran out of its memory limit of ${limits.memoryBytes / 2 ** 20} MiB and was stopped`);
      if (exitCode !== 0) throw new InstallFailedError(exitCode, lines.tail(), step);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /**
   * Runs `script` in the builder as builds run (the same user, network, file system and
   * limits), and answers what it printed: for tests of the isolation itself.
   */
  async probe(target: ExecutorTarget, script: string): Promise<string> {
    const container = await this.create(target, script, 'probe', { memoryBytes: 256 * 2 ** 20, cpus: 1, pids: 64, timeoutMs: 30_000 }, []);
    try {
      let out = '';
      await runAttached(container, (chunk) => (out += chunk.toString()));
      return out;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /** A build container: see the module comment for what confines it. */
  private create(target: ExecutorTarget, script: string, key: string, limits: BuildLimits, binds: string[]): Promise<Docker.Container> {
    this.containersCreated += 1;
    return this.docker.createContainer({
      Image: target.builderDigest,
      Cmd: ['sh', '-c', script],
      User: '1000:1000',
      WorkingDir: BUILD_DIR,
      Env: ['PIP_NO_CACHE_DIR=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1', 'PYTHONDONTWRITEBYTECODE=1', 'HOME=/tmp'],
      Labels: { [LABEL_BUILD]: key, [LABEL_HOST]: hostname(), [LABEL_PID]: String(process.pid) },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=256m' },
        Binds: binds,
        Memory: limits.memoryBytes,
        MemorySwap: limits.memoryBytes,
        NanoCpus: Math.round(limits.cpus * 1e9),
        PidsLimit: limits.pids,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
      },
    });
  }

  async reapOrphans(): Promise<number> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABEL_BUILD, `${LABEL_HOST}=${hostname()}`] } });
    let removed = 0;
    for (const info of containers) {
      const pid = Number(info.Labels[LABEL_PID]);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
      await this.docker.getContainer(info.Id).remove({ force: true });
      removed += 1;
    }
    return removed;
  }

  /** Build containers that exist now (all of this host's workers), for tests and counts. */
  async buildContainers(): Promise<number> {
    return (await this.docker.listContainers({ all: true, filters: { label: [LABEL_BUILD] } })).length;
  }
}
