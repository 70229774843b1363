import { Command } from 'commander';
import { serverOption } from './server-option';

/**
 * `venvfarm index create NAME` / `venvfarm index list`, and `venvfarm token create --index NAME` /
 * `venvfarm token revoke ID --index NAME`: private indexes and their upload tokens, on a server
 * (admin: VENVFARM_ADMIN_TOKEN). The actions' module loads when a command runs.
 */
export function indexCommand(): Command {
  const index = new Command('index').description('private indexes of a venvfarm server (upload with twine, install with pip -i SERVER/NAME/simple)');
  index
    .command('create')
    .description('create a private index (admin); prints where pip and twine find it')
    .argument('<name>', 'lower-case letters, digits and inner dashes')
    .option('--no-upstream', 'do not layer it in front of the mirror of the upstream (names it lacks are then not found)')
    .addOption(serverOption())
    .action(async (name: string, options: { upstream: boolean; server: string }) => (await import('./index.action')).createIndex(name, options));
  index
    .command('list')
    .description('list the indexes of the server')
    .addOption(serverOption())
    .action(async (options: { server: string }) => (await import('./index.action')).listIndexes(options));
  return index;
}

export function tokenCommand(): Command {
  const token = new Command('token').description('upload tokens of private indexes');
  token
    .command('create')
    .description('create an upload token of an index (admin); prints the token alone on stdout (it is shown once)')
    .requiredOption('--index <name>', 'the private index the token uploads to')
    .option('--description <text>', 'what the token is for', '')
    .addOption(serverOption())
    .action(async (options: { index: string; description: string; server: string }) => (await import('./index.action')).createToken(options));
  token
    .command('revoke')
    .description('revoke an upload token (admin): uploads with it are refused from now on')
    .argument('<id>', 'the token id (token create prints it on stderr)')
    .requiredOption('--index <name>', 'the index of the token')
    .addOption(serverOption())
    .action(async (id: string, options: { index: string; server: string }) => (await import('./index.action')).revokeToken(id, options));
  return token;
}
