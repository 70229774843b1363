import { Option } from 'commander';

/** `--server <url>` of the client commands: VENVFARM_SERVER, else a server on this machine. */
export function serverOption(env: NodeJS.ProcessEnv = process.env): Option {
  return new Option('--server <url>', 'the venvfarm server (env: VENVFARM_SERVER)').default(env.VENVFARM_SERVER ?? 'http://127.0.0.1:8080');
}
