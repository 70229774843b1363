import { Command } from 'commander';
import { parseTarget, Target } from '@venvfarm/pep508';
import { supportedTags } from '@venvfarm/wheel';

interface TargetOptions {
  python: string;
  platform?: string;
}

function target(options: TargetOptions): Target {
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
    .action((options: TargetOptions) => {
      process.stdout.write(JSON.stringify(target(options).markers, null, 2) + '\n');
    });
}

/** `venvfarm tags`: the wheel tags a target supports, best first. */
export function tagsCommand(): Command {
  return withTargetOptions(new Command('tags'))
    .description('print the wheel tags a target supports, best first')
    .action((options: TargetOptions) => {
      process.stdout.write(supportedTags(target(options)).join('\n') + '\n');
    });
}
