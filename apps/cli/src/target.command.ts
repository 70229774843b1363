import { Command } from 'commander';
import type { Target } from '@venvfarm/pep508';

interface TargetOptions {
  python: string;
  platform?: string;
}

/** The named target; the pure libs load when a command runs, not at start-up. */
async function target(options: TargetOptions): Promise<Target> {
  const { parseTarget } = await import('@venvfarm/pep508');
  return parseTarget({ python: options.python, platform: options.platform });
}

function withTargetOptions(command: Command): Command {
  return command
    .option('--python <version>', 'target Python version', '3.11')
    .option('--platform <name>', 'target platform, e.g. x86_64-manylinux_2_28, arm64-macos_14, x86_64-windows');
}

/** `venvfarm markers`: the PEP 508 marker environment of a named target, as JSON. */
export function markersCommand(): Command {
  return withTargetOptions(new Command('markers'))
    .description('print the marker environment of a target as JSON')
    .action(async (options: TargetOptions) => {
      process.stdout.write(JSON.stringify((await target(options)).markers, null, 2) + '\n');
    });
}

/** `venvfarm tags`: the wheel tags a target supports, best first. */
export function tagsCommand(): Command {
  return withTargetOptions(new Command('tags'))
    .description('print the wheel tags a target supports, best first')
    .action(async (options: TargetOptions) => {
      const { supportedTags } = await import('@venvfarm/wheel');
      process.stdout.write(supportedTags(await target(options)).join('\n') + '\n');
    });
}
