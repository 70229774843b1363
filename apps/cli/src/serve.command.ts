import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

/** Parses a TCP port; 0 lets the system pick a free one. */
function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`not a TCP port: ${value}`);
  return port;
}

/**
 * `venvfarm serve`: runs the API app (a separate build, since apps never import each other)
 * in a child process that shares this terminal, and passes signals on.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description('start the HTTP API; prints "venvfarm listening on http://HOST:PORT" when ready')
    .option('--port <port>', 'TCP port (0 picks a free one)', parsePort, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where the embedded PostgreSQL keeps its data when DATABASE_URL is unset', './.venvfarm')
    .option('--upstream <url>', 'upstream simple index (default: VENVFARM_UPSTREAM, else PyPI)')
    .action((options: { port: number; host: string; dataDir: string; upstream?: string }) => {
      const api = resolve(__dirname, '../api/main.js');
      if (!existsSync(api)) throw new Error(`the API is not built (${api} is missing); run npm run build`);
      const child = spawn(process.execPath, [api], {
        // The IPC channel tells the server when this command is gone (apps/api/src/main.ts).
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        // A process group of its own: Ctrl-C on a terminal signals the whole foreground group, and
        // would reach the embedded PostgreSQL (the server's child) before the server has stopped
        // using it. This command passes the signal on to the server alone, which stops in order.
        detached: true,
        env: {
          ...process.env,
          HOST: options.host,
          PORT: String(options.port),
          VENVFARM_DATA_DIR: options.dataDir,
          ...(options.upstream ? { VENVFARM_UPSTREAM: options.upstream } : {}),
        },
      });
      let stopping: NodeJS.Signals | null = null;
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.on(signal, () => {
          stopping = signal;
          child.kill(signal);
        });
      }
      // Nest re-raises the signal after a clean shutdown: ending by the signal we passed on is
      // success; any other signal (the server was killed) is a failure.
      child.on('exit', (code, signal) => process.exit(code ?? (signal !== null && signal === stopping ? 0 : 1)));
    });
}
