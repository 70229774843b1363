import { Command } from 'commander';
import { serverOption } from './server-option';

/** The options of `venvfarm build`. */
export interface BuildCommandOptions {
  requirement?: string;
  lock?: string;
  constraint?: string;
  python?: string;
  platform?: string;
  output?: string;
  server: string;
}

/**
 * `venvfarm build -r requirements.txt -o env.tar.gz` (or `--lock pylock.toml`): has a venvfarm server build the
 * environment, follows the build (its live log), and downloads the tarball. The action's
 * module loads when the command runs.
 */
export function buildCommand(): Command {
  return new Command('build')
    .description('build an environment on a venvfarm server, follow its log and download the tarball; prints "<key> <file>"')
    .option('-r, --requirement <file>', 'requirements file ("-" reads stdin), resolved by the server')
    .option('--lock <file>', 'a pylock.toml, or a requirements.txt pinned with --hash, built as it is (instead of -r)')
    .option('-c, --constraint <file>', 'constraints file')
    .option('--python <version>', "target Python version (default: the server's)")
    .option('--platform <name>', "target platform, e.g. x86_64-manylinux_2_28 (default: the server's)")
    .option('-o, --output <file>', 'where to write the tarball (default: <key>.tar.gz)')
    .addOption(serverOption())
    .action(async (options: BuildCommandOptions) => (await import('./build.action')).build(options));
}
