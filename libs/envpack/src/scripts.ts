/**
 * Rewriting the scripts of `bin/` so they find the environment from their own location.
 *
 * Console scripts: pip writes `#!<venv>/bin/python` (or, for a long path or one with spaces,
 * distlib's `#!/bin/sh` + `'''exec' "<venv>/bin/python" "$0" "$@"` polyglot). They become uv's
 * relocatable form (`uv venv --relocatable`, crates/uv-install-wheel `format_shebang`): a
 * `/bin/sh` polyglot that execs the interpreter next to the script's real path. Python reads the
 * `'''exec' …` line as the start of a string, the shell never reaches past `exec`.
 *
 * Activation scripts: like uv's relocatable `activate`, bash/zsh/ksh find the script's own path
 * (`BASH_SOURCE`, zsh `%x`, ksh `.sh.file`) and take the directory two levels up. fish uses
 * `status -f`. csh has no way to learn the path of a sourced script (uv therefore omits
 * `activate.csh` from relocatable environments); here it keeps a placeholder that
 * {@link fillVenvDirPlaceholder} replaces with the real directory at unpack time, and until then
 * it says so instead of activating a wrong path. The same placeholder is the fallback of
 * `activate` under a plain POSIX sh, which cannot locate a sourced script either.
 */

/** Written into activation scripts where only the unpacker can know the directory. */
export const VENV_DIR_PLACEHOLDER = '@VENVFARM_VENV_DIR@';
/** The placeholder split in two shell words, so that filling it in leaves the comparison intact. */
const PLACEHOLDER_SPLIT = "'@VENVFARM_''VENV_DIR@'";

const PYTHON_NAME = /^python(\d+(\.\d+)?)?$/;
const SAFE_ARGS = /^(\s+-[A-Za-z0-9]+)*\s*$/;

/** The relocatable `/bin/sh` polyglot head that runs `bin/<python>` next to the script. */
export function relocatableShebang(pythonName: string, args = ''): string {
  const extra = args.trim() ? ` ${args.trim()}` : '';
  return `#!/bin/sh\n'''exec' "$(dirname -- "$(realpath -- "$0")")"/'${pythonName}'${extra} "$0" "$@"\n' '''\n`;
}

/**
 * `script` with its shebang made relocatable when it names `<buildPrefix>/bin/python…`, or
 * `undefined` when it does not (binaries, shell scripts, shebangs of other interpreters).
 */
export function rewriteConsoleScript(script: Buffer, buildPrefix: string): Buffer | undefined {
  if (script.length < 2 || script[0] !== 0x23 || script[1] !== 0x21) return undefined;
  const head = script.subarray(0, Math.min(script.length, 4096)).toString('latin1');
  const binDir = `${buildPrefix}/bin/`;

  // distlib's polyglot for long or spaced paths: three lines.
  const polyglot = /^#!\/bin\/sh\n'''exec' (?:"([^"]*)"|(\S+))((?: -[A-Za-z0-9]+)*) "\$0" "\$@"\n' '''\n/.exec(head);
  if (polyglot) {
    const exe = polyglot[1] ?? polyglot[2];
    const name = exe.startsWith(binDir) ? exe.slice(binDir.length) : undefined;
    if (!name || !PYTHON_NAME.test(name)) return undefined;
    const rest = script.subarray(Buffer.byteLength(polyglot[0], 'latin1'));
    return Buffer.concat([Buffer.from(relocatableShebang(name, polyglot[3]), 'utf8'), rest]);
  }

  const eol = head.indexOf('\n');
  if (eol < 0) return undefined;
  const line = head.slice(2, eol).replace(/\r$/, '').trim();
  if (!line.startsWith(binDir)) return undefined;
  const space = line.search(/\s/);
  const exe = space < 0 ? line : line.slice(0, space);
  const args = space < 0 ? '' : line.slice(space);
  const name = exe.slice(binDir.length);
  if (!PYTHON_NAME.test(name) || !SAFE_ARGS.test(args)) return undefined;
  return Buffer.concat([Buffer.from(relocatableShebang(name, args), 'utf8'), script.subarray(eol + 1)]);
}

/** The activation scripts this module knows how to make relocatable, by file name in `bin/`. */
export const ACTIVATE_SCRIPTS = ['activate', 'activate.fish', 'activate.csh'] as const;
export type ActivateScript = (typeof ACTIVATE_SCRIPTS)[number];

/**
 * The text of `bin/<name>` with every mention of `buildPrefix` as a whole value replaced by the directory
 * computed at activation time. Returns the text unchanged when it has no such mention.
 */
export function rewriteActivateScript(name: ActivateScript, text: string, buildPrefix: string): string {
  const quoted = [`"${buildPrefix}"`, `'${buildPrefix}'`];
  // Older CPythons (Debian's 3.11.2) write the path bare: `VIRTUAL_ENV=/build/venv`,
  // `set -gx VIRTUAL_ENV /build/venv`, `setenv VIRTUAL_ENV /build/venv`.
  const bare = new RegExp(`(?<=[=\\s])${buildPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[ \\t]*$)`, 'gm');
  if (!quoted.some((q) => text.includes(q)) && !bare.test(text)) return text;
  const replaceAll = (by: string): string => quoted.reduce((t, q) => t.split(q).join(by), text).replace(bare, () => by);
  switch (name) {
    case 'activate':
      return insertAfterLeadingComments(replaceAll('"$_VENVFARM_VENV_DIR"'), SH_PROLOGUE) + SH_EPILOGUE;
    case 'activate.fish':
      return replaceAll('(dirname -- (dirname -- (realpath -- (status -f))))');
    case 'activate.csh':
      return insertAfterLeadingComments(replaceAll(`'${VENV_DIR_PLACEHOLDER}'`), CSH_PROLOGUE) + CSH_EPILOGUE;
  }
}

/**
 * `text` with the unpack-time placeholder replaced by `venvDir`, quoted for the shell of the
 * script (`activate`: POSIX single quotes; `activate.csh`: the same, plus `!` escaped for csh's
 * history substitution).
 */
export function fillVenvDirPlaceholder(name: 'activate' | 'activate.csh', text: string, venvDir: string): string {
  let escaped = venvDir.split("'").join(`'\\''`);
  if (name === 'activate.csh') escaped = escaped.split('!').join('\\!');
  return text.split(VENV_DIR_PLACEHOLDER).join(escaped);
}

function insertAfterLeadingComments(text: string, block: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i].startsWith('#') || lines[i].trim() === '')) i++;
  return [...lines.slice(0, i), block, ...lines.slice(i)].join('\n');
}

const SH_PROLOGUE = `# venvfarm: this environment is relocatable; find it from the path of this script.
if ! [ -z "\${SCRIPT_PATH+_}" ] ; then
    _OLD_SCRIPT_PATH="$SCRIPT_PATH"
fi
if [ -n "\${BASH_VERSION:+x}" ] ; then
    SCRIPT_PATH="\${BASH_SOURCE[0]}"
elif [ -n "\${ZSH_VERSION:+x}" ] ; then
    SCRIPT_PATH="\${(%):-%x}"
elif [ -n "\${KSH_VERSION:+x}" ] ; then
    SCRIPT_PATH="\${.sh.file}"
else
    SCRIPT_PATH=""
fi
if [ -n "$SCRIPT_PATH" ] ; then
    _VENVFARM_VENV_DIR="$(dirname -- "$(dirname -- "$(realpath -- "$SCRIPT_PATH")")")"
else
    _VENVFARM_VENV_DIR='${VENV_DIR_PLACEHOLDER}'
fi
if ! [ -z "\${_OLD_SCRIPT_PATH+_}" ] ; then
    SCRIPT_PATH="$_OLD_SCRIPT_PATH"
    unset _OLD_SCRIPT_PATH
else
    unset SCRIPT_PATH
fi
if [ "$_VENVFARM_VENV_DIR" = ${PLACEHOLDER_SPLIT} ] ; then
    echo "activate: this shell cannot tell where the script is; source it from bash, zsh or ksh" >&2
    unset _VENVFARM_VENV_DIR
    return 1
fi
`;

const SH_EPILOGUE = `unset _VENVFARM_VENV_DIR\n`;

const CSH_PROLOGUE = `# venvfarm: csh cannot find the path of a sourced script, so the unpacker writes the
# environment's directory into this file.
if ( '${VENV_DIR_PLACEHOLDER}' == ${PLACEHOLDER_SPLIT} ) then
    echo "activate.csh: unpack this environment with venvfarm pull, or write its directory in place of the placeholder of this file"
    goto _venvfarm_end
endif
`;

const CSH_EPILOGUE = `_venvfarm_end:\n`;
