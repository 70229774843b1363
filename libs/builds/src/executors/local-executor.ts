/**
 * The local executor: the install runs with an interpreter of this machine, as a child process
 * in a fresh directory, for the embedded default where no Docker engine runs. It is not
 * hermetic (the child could reach the network; pip is told `--no-index` and nothing else), so
 * it offers only what it can honour: the Python versions it finds, on this machine's
 * architecture and glibc.
 */
import { spawn } from 'node:child_process';
import { arch } from 'node:os';
import { join } from 'node:path';
import { findInterpreter } from '@venvfarm/envpack';
import { BuildExecutor, BuildLimitError, ExecutionResult, ExecutionSpec, ExecutorTarget, InstallFailedError, installScript, shellQuote, wheelScript } from './build-executor';
import { LineSplitter } from './line-splitter';

/** The builder digest of a local target: the interpreter's path and version stand for the image. */
const LOCAL_PREFIX = 'local:';

export class LocalExecutor extends BuildExecutor {
  readonly kind = 'local' as const;

  constructor(private readonly pythons: readonly string[] = ['3.9', '3.10', '3.11', '3.12', '3.13']) {
    super();
  }

  async targets(): Promise<readonly ExecutorTarget[]> {
    const found: ExecutorTarget[] = [];
    for (const python of this.pythons) {
      const interpreter = await findInterpreter(python).catch(() => null);
      if (interpreter === null) continue;
      // glibc: this machine's (Node's report of it), which the interpreter runs on.
      const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime ?? '0.0';
      found.push({ python, arch: arch() === 'x64' ? 'x86_64' : arch(), glibc, pythonVersion: interpreter.version, builderDigest: `${LOCAL_PREFIX}${interpreter.path}:${interpreter.version}` });
    }
    return found;
  }

  async run(spec: ExecutionSpec): Promise<ExecutionResult> {
    const venv = join(spec.workDir, 'venv');
    await this.execute(spec, installScript(shellQuote(venv), shellQuote(join(spec.workDir, 'files')), shellQuote(this.interpreterOf(spec)), null), 'pip install');
    return { venvDir: venv, buildPrefix: venv };
  }

  async buildWheels(spec: ExecutionSpec, sdists: readonly string[]): Promise<string> {
    const wheels = join(spec.workDir, 'wheels');
    const script = wheelScript(shellQuote(join(spec.workDir, 'tools')), shellQuote(join(spec.workDir, 'files')), shellQuote(wheels), shellQuote(this.interpreterOf(spec)), null, sdists);
    await this.execute(spec, script, 'pip wheel');
    return wheels;
  }

  private interpreterOf(spec: ExecutionSpec): string {
    return spec.target.builderDigest.slice(LOCAL_PREFIX.length, spec.target.builderDigest.lastIndexOf(':'));
  }

  /** Runs `script` as a child process group, under the time limit; `step` names it in errors. */
  private async execute(spec: ExecutionSpec, script: string, step: string): Promise<void> {
    const lines = new LineSplitter(spec.onLog);
    // The child's environment: no PIP_* of this process (an operator's pip configuration is not the build's).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PIP_')));
    const child = spawn('sh', ['-c', script], {
      env: { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killAll = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, spec.limits.timeoutMs);
    spec.signal?.addEventListener('abort', killAll, { once: true });
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => lines.push(chunk));
    try {
      const exitCode = await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
      });
      lines.end();
      spec.signal?.throwIfAborted();
      if (timedOut) throw new BuildLimitError('time', `the build ran past its time limit of ${spec.limits.timeoutMs / 1000} s and was stopped`);
      if (exitCode !== 0) throw new InstallFailedError(exitCode, lines.tail(), step);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', killAll);
    }
  }

  async reapOrphans(): Promise<number> {
    return 0;
  }
}
