import { Command, InvalidArgumentError } from 'commander';
import { serverOption } from './server-option';

/** The options of `venvfarm pull`. */
export interface PullCommandOptions {
  requirement?: string;
  lock?: string;
  constraint?: string;
  python?: string;
  platform?: string;
  into: string;
  interpreter?: string;
  wait: number;
  server: string;
}

/** `--wait <seconds>`: whole seconds from 0 to 3600. */
export const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3600) throw new InvalidArgumentError('expected whole seconds from 0 to 3600');
  return n;
};

/**
 * `venvfarm pull KEY --into .venv`, `venvfarm pull -r requirements.txt --into .venv` or
 * `venvfarm pull --lock pylock.toml --into .venv`:
 * downloads a built environment (building it first when needed, following the build) and
 * unpacks it onto a local interpreter of the same Python version. The action's module loads
 * when the command runs.
 */
export function pullCommand(): Command {
  return new Command('pull')
    .description('download an environment from a venvfarm server (by build key, or built from a requirements file) and unpack it; prints "<key> <dir>"')
    .argument('[key]', 'the build key (64 hex digits) of an environment the server has built')
    .requiredOption('--into <dir>', 'the directory to unpack into (absent or empty)')
    .option('-r, --requirement <file>', 'build from a requirements file ("-" reads stdin) instead of a key')
    .option('--lock <file>', 'build from a pylock.toml or a requirements.txt pinned with --hash, as it is, instead of a key')
    .option('-c, --constraint <file>', 'constraints file (with -r)')
    .option('--python <version>', "target Python version (with -r or --lock; default: the server's)")
    .option('--platform <name>', "target platform (with -r or --lock; default: the server's)")
    .option('--interpreter <path>', 'the local interpreter to use (default: python<major.minor> on PATH or in pyenv)')
    .option('--wait <seconds>', 'how long the server may wait for a build before the CLI follows it (with -r or --lock)', seconds, 2)
    .addOption(serverOption())
    .action(async (key: string | undefined, options: PullCommandOptions) => (await import('./pull.action')).pull(key, options));
}
