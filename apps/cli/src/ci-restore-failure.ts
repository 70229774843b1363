/**
 * How `venvfarm ci restore` fails: one message that says what failed and what to do, with the
 * exit code a CI script branches on ({@link CI_RESTORE_EXIT}): `unreachable` when the server
 * cannot be reached or cannot serve now (a fallback to pip may work), `failed` for everything a
 * fallback would not mend.
 *
 * "Unreachable" covers the network's failures (refused, unknown host, timed out, a connection
 * broken mid-download) and 502/503/504: a proxy whose venvfarm is down, or venvfarm's own
 * `queue_unavailable` / `upstream_unavailable` / `not_ready`. A 500 is a bug of the server and
 * is not hidden behind a fallback.
 */
import { InterpreterMismatchError, InterpreterNotFoundError, TargetNotEmptyError } from '@venvfarm/envpack';
import { BuildFailedError, ServerAnswerError, ServerUnreachableError } from './build-client';
import { CI_RESTORE_EXIT } from './ci-restore.command';
import { CommandFailure } from './command-failure';
import { fallbackCommand, indexUrl, RestoreContext } from './pip-fallback';

/** Network error codes (Node's and undici's) that mean the server could not be reached or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Statuses that mean "not now" rather than "no": a gateway without its server, or a server without a service it needs. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Whether `error` (or an error it was caused by) is the network failing. Duck-typed: the errors
 * of Node's fetch need not be of this realm's Error.
 */
function isNetworkFailure(error: unknown): boolean {
  let current = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 8; depth++) {
    if (current instanceof ServerUnreachableError) return true;
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

/** An error's message, and those of its causes (`terminated: other side closed`). */
function messages(error: unknown): string {
  const parts: string[] = [];
  let current = error as { message?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current !== null && current !== undefined && depth < 8; depth++) {
    const message = typeof current === 'object' ? current.message : current;
    if (typeof message === 'string' && message !== '' && !parts.includes(message)) parts.push(message);
    current = typeof current === 'object' ? (current.cause as typeof current) : undefined;
  }
  return parts.join(': ') || String(error);
}

/** Whether a CI script should fall back: see the module comment. */
export function isUnreachable(error: unknown): boolean {
  return isNetworkFailure(error) || (error instanceof ServerAnswerError && UNAVAILABLE_STATUSES.has(error.status));
}

/** The lines that tell a CI script's author what exit code 3 means and how to fall back. */
function fallbackHint(context: RestoreContext, serverAnswered: boolean): string[] {
  const command = fallbackCommand(context);
  const lines = [
    `exit code ${CI_RESTORE_EXIT.unreachable} (server ${serverAnswered ? 'unavailable' : 'unreachable'}): install with pip instead, through venvfarm's package index${serverAnswered ? '' : ' if it answers'}:`,
    command === null ? `  the pins of ${context.lock} from ${indexUrl(context.server)}, with a tool that installs a pylock.toml` : `  ${command}`,
  ];
  if (!serverAnswered) lines.push('or, while the whole server is down, from your usual index (the same without -i)');
  if (context.serverDefaulted) lines.push(`no --server and no VENVFARM_SERVER were given, so ${context.server} was tried: set VENVFARM_SERVER to your venvfarm server`);
  return lines;
}

/** The id of the build a `build_failed` answer names (`build 12 failed: ...`). */
function failedBuildId(detail: string | undefined): number | null {
  const match = /^build (\d+) failed/.exec(detail ?? '');
  return match === null ? null : Number(match[1]);
}

/** `<server>/v1/builds/<id>/log`. */
export function buildLogUrl(server: string, id: number): string {
  return `${server.replace(/\/+$/, '')}/v1/builds/${id}/log`;
}

/** The requirements file a line number refers to. */
function inputName(context: RestoreContext): string {
  const file = context.lock ?? context.requirement;
  return file === undefined || file === '-' ? 'the requirements (stdin)' : file;
}

/** What a failed answer of the server means, and what to do. */
function explainAnswer(error: ServerAnswerError, context: RestoreContext): string[] {
  const body = error.body;
  if (body === null || body.error === undefined) {
    // Not venvfarm's error body: something else answered at that address.
    return [`${context.server} answered HTTP ${error.status}, not as a venvfarm server does: ${error.message}`, 'check --server (or VENVFARM_SERVER): it must be the root URL of a venvfarm server'];
  }
  if ((body.error === 'invalid_input' || body.error === 'invalid_json') && body.line !== undefined) {
    // The detail repeats the field and the line (`requirements_txt: line 2: ...`), said here already.
    const detail = (body.detail ?? error.message).replace(/^[\w.[\]]+: line \d+: /, '');
    const position = body.position === undefined ? '' : `, position ${body.position}`;
    const what = context.lock === undefined ? 'invalid requirement' : 'invalid line';
    return [`${what} in ${inputName(context)}, line ${body.line}${position}: ${detail}`, 'fix that line and run again'];
  }
  switch (body.error) {
    case 'invalid_input':
    case 'invalid_json':
      return [`the server refused the request: ${error.message}`];
    case 'unauthorized':
    case 'forbidden':
      return [
        `the server refused the credential: ${error.message}`,
        'ci restore asks the server to build, which takes its admin token: set VENVFARM_ADMIN_TOKEN (a secret variable of the CI) to it',
      ];
    case 'unsatisfiable':
      return [`the requirements cannot be satisfied together:`, ...(body.detail ?? '').split('\n').map((l) => `  ${l}`), 'change the requirements the explanation names'];
    case 'build_failed': {
      const id = failedBuildId(body.detail);
      return [body.detail ?? error.message, ...(id === null ? [] : [`its log: ${buildLogUrl(context.server, id)}`])];
    }
    case 'not_found':
      // A project that no index has, or a tarball gone from the server's store.
      return [`the server refused the request: ${error.message}`, ...(/\bproject\b/.test(body.detail ?? '') ? ['check the names in the requirements'] : [])];
    case 'no_builder':
    case 'unbuildable':
    case 'too_complex':
      return [`the server cannot build this environment: ${error.message}`];
    case 'internal':
      return [`the venvfarm server failed: ${error.message}`, "a bug on the server's side: its log has the details"];
    default:
      return [`the server refused the request: ${error.message}`];
  }
}

/** The lines of the message for `error`: what failed, then what to do. */
function explain(error: unknown, context: RestoreContext): string[] {
  // Not `instanceof Error`: the errors of Node's fetch need not be of this realm's Error.
  const message = typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as { message: string }).message : String(error);
  if (error instanceof ServerUnreachableError) {
    return [`cannot reach the venvfarm server at ${error.server}${error.reason === null ? '' : ` (${error.reason})`}`, ...fallbackHint(context, false)];
  }
  if (error instanceof ServerAnswerError && UNAVAILABLE_STATUSES.has(error.status)) {
    const answered = error.body?.error !== undefined;
    return [`the venvfarm server at ${context.server} cannot serve the environment now: ${message}`, ...fallbackHint(context, answered)];
  }
  if (isNetworkFailure(error)) return [`the connection to the venvfarm server at ${context.server} broke (${messages(error)})`, ...fallbackHint(context, false)];
  if (error instanceof ServerAnswerError) return explainAnswer(error, context);
  if (error instanceof BuildFailedError) return [error.message, `its log: ${buildLogUrl(context.server, error.build.id)}`];
  if (error instanceof TargetNotEmptyError) return [message, `restore into a directory that is absent or empty (remove ${context.into} first, or choose another --into)`];
  if (error instanceof InterpreterNotFoundError) {
    return [message, `install Python ${error.version} on the runner (e.g. actions/setup-python, or an image that has it), or give --interpreter PATH`];
  }
  if (error instanceof InterpreterMismatchError) return [message, `give --interpreter a Python ${error.wanted}, or --python ${error.found} to restore an environment for that one`];
  return [message];
}

/**
 * The failure to end `ci restore` with: its message (what failed, then what to do, on lines of
 * their own) and its exit code.
 */
export function restoreFailure(error: unknown, context: RestoreContext): CommandFailure {
  const [first, ...rest] = explain(error, context);
  const message = [`could not restore ${context.into}: ${first}`, ...rest.map((line) => `  ${line}`)].join('\n');
  return new CommandFailure(message, isUnreachable(error) ? CI_RESTORE_EXIT.unreachable : CI_RESTORE_EXIT.failed, { cause: error });
}

