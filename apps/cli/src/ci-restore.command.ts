import { Command } from 'commander';
import { PullCommandOptions, seconds } from './pull.command';
import { serverOption } from './server-option';

/** The exit codes of `venvfarm ci restore`: a CI script falls back to pip on `unreachable` only. */
export const CI_RESTORE_EXIT = {
  restored: 0,
  /** Anything a fallback would not mend: arguments, requirements, the build, the credential, the unpack. */
  failed: 1,
  /** The server could not be reached, or answered 502/503/504 (it, or a service it needs, is down). */
  unreachable: 3,
} as const;

/** The options of `venvfarm ci restore`: those of `pull` (it is `pull -r` made for CI). */
export type CiRestoreCommandOptions = PullCommandOptions;

const AFTER_HELP = `
Progress goes to stderr, as plain lines (build states, the build's log, the download) unless
stdout and stderr are both a terminal and CI is unset. The last line, on stdout, sums it up:
  restored 12 packages into /work/.venv in 0.84 s: cache hit (key 3f5c...)

Exit codes:
  ${CI_RESTORE_EXIT.restored}  restored
  ${CI_RESTORE_EXIT.failed}  failed: arguments, requirements (the line is named), unsatisfiable, build
     failed (its log's URL is given), credential refused, unpack: a fallback would not help
  ${CI_RESTORE_EXIT.unreachable}  the server is unreachable (refused, unknown host, timed out, connection
     lost) or answered 502/503/504: fall back, e.g. to
     pip install -i <server>/simple/ -r requirements.txt

Environment: VENVFARM_SERVER (the default of --server), VENVFARM_ADMIN_TOKEN (the server
builds on request, which takes its admin token), VENVFARM_READ_TOKEN (downloads, when the
server sets one), CI (set and not "false" or "0": plain lines even on a terminal).
`;

/**
 * `venvfarm ci restore -r requirements.txt --python 3.11 --into .venv`: `pull -r` for CI. The
 * server builds the environment when it has not yet (the build's log is shown as it runs), the
 * CLI unpacks it into --into and prints a one-line summary; a failure says what failed and what
 * to do, and exits 3 when the server is unreachable (fall back), else 1. The action's module
 * loads when the command runs.
 */
export function ciRestoreCommand(): Command {
  return new Command('restore')
    .description('restore a pre-built environment for a requirements file into a directory (building it on the server when needed); exit 3 when the server is unreachable')
    .requiredOption('--into <dir>', 'the directory to unpack into (absent or empty), e.g. .venv')
    .option('-r, --requirement <file>', 'requirements file ("-" reads stdin), resolved by the server')
    .option('--lock <file>', 'a pylock.toml, or a requirements.txt pinned with --hash, built as it is (instead of -r)')
    .option('-c, --constraint <file>', 'constraints file (with -r)')
    .option('--python <version>', "target Python version, e.g. 3.11 (default: the server's)")
    .option('--platform <name>', "target platform, e.g. x86_64-manylinux_2_28 (default: the server's)")
    .option('--interpreter <path>', 'the local interpreter to use (default: python<major.minor> on PATH or in pyenv)')
    .option('--wait <seconds>', 'how long the server may wait for a build before the CLI follows it with its log (0: a built environment comes at once, and the summary can tell a cache hit)', seconds, 0)
    .addOption(serverOption())
    .addHelpText('after', AFTER_HELP)
    .action(async (options: CiRestoreCommandOptions, command: Command) =>
      (await import('./ci-restore.action')).ciRestore(options, { serverDefaulted: command.getOptionValueSource('server') === 'default' && process.env.VENVFARM_SERVER === undefined }),
    );
}
