/**
 * The pip command a CI job runs instead of `venvfarm ci restore` when the server is unreachable
 * (exit code 3): the same requirements, into the same directory, through venvfarm's package
 * index (`<server>/simple/`).
 */

/** What a restore was asked for, as the messages need it. */
export interface RestoreContext {
  server: string;
  /** True when neither --server nor VENVFARM_SERVER was given (the built-in default was used). */
  serverDefaulted?: boolean;
  requirement?: string;
  lock?: string;
  constraint?: string;
  python?: string;
  into: string;
}

/** A word of a shell command, quoted when it needs to be. */
export function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `<server>/simple/`: the server's package index. */
export function indexUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/simple/`;
}

/**
 * The shell command that installs the same requirements into the same directory with pip,
 * through the server's package index; null for a pylock.toml, which pip does not install.
 */
export function fallbackCommand(context: RestoreContext): string | null {
  const file = context.lock ?? context.requirement;
  if (file === undefined || /\.toml$/i.test(file)) return null;
  const into = context.into.replace(/\/+$/, '') || '.';
  const pip = [
    `${into}/bin/pip`,
    'install',
    '-i',
    indexUrl(context.server),
    ...(context.lock === undefined ? [] : ['--require-hashes']),
    '-r',
    file === '-' ? 'requirements.txt' : file,
    ...(context.constraint === undefined ? [] : ['-c', context.constraint]),
  ];
  return `python${context.python ?? '3'} -m venv ${shellWord(into)} && ${pip.map(shellWord).join(' ')}`;
}

