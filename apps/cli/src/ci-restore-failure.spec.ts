import { InterpreterNotFoundError, TargetNotEmptyError } from '@venvfarm/envpack';
import { BuildFailedError, BuildView, ServerAnswerError, ServerErrorBody, ServerUnreachableError } from './build-client';
import { isUnreachable, restoreFailure } from './ci-restore-failure';
import { CI_RESTORE_EXIT } from './ci-restore.command';
import { CommandFailure } from './command-failure';
import { RestoreContext } from './pip-fallback';

const SERVER = 'https://venvfarm.example.com';
const CONTEXT: RestoreContext = { server: SERVER, requirement: 'requirements.txt', python: '3.11', into: '.venv' };
const KEY = 'ab'.repeat(32);

const BUILD: BuildView = {
  id: 12,
  key: KEY,
  status: 'failed',
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  pins: [],
  timings: { total: 31_040 },
  size: null,
  error: 'pip exited with 1',
  download: `/v1/envs/${KEY}.tar.gz`,
};

/** A server's error answer, as BuildClient throws it. */
function answer(status: number, body: ServerErrorBody | string): ServerAnswerError {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new ServerAnswerError(status, typeof body === 'string' ? null : body, text);
}

/** A network error as undici reports it: `fetch failed` (or `terminated`) caused by a coded error. */
function network(message: string, code: string): TypeError {
  return new TypeError(message, { cause: Object.assign(new Error(`${code} from the socket`), { code }) });
}

const FALLBACK = 'python3.11 -m venv .venv && .venv/bin/pip install -i https://venvfarm.example.com/simple/ -r requirements.txt';

describe('restoreFailure: exit codes', () => {
  it.each<[string, unknown, number]>([
    ['connection refused', new ServerUnreachableError(SERVER, 'connect ECONNREFUSED 10.0.0.1:443'), CI_RESTORE_EXIT.unreachable],
    ['unknown host', new ServerUnreachableError(SERVER, 'getaddrinfo ENOTFOUND venvfarm.example.com'), CI_RESTORE_EXIT.unreachable],
    ['connection lost mid-download', network('terminated', 'UND_ERR_SOCKET'), CI_RESTORE_EXIT.unreachable],
    ['connection reset', network('read failed', 'ECONNRESET'), CI_RESTORE_EXIT.unreachable],
    ['a gateway without its server (502, not JSON)', answer(502, '<html>Bad Gateway</html>'), CI_RESTORE_EXIT.unreachable],
    ['queue unavailable (503)', answer(503, { error: 'queue_unavailable', detail: 'the job queue is needed...' }), CI_RESTORE_EXIT.unreachable],
    ['gateway timeout (504)', answer(504, 'upstream timed out'), CI_RESTORE_EXIT.unreachable],
    ['invalid requirement (400)', answer(400, { error: 'invalid_input', detail: 'x', field: 'requirements_txt', line: 2, position: 5 }), CI_RESTORE_EXIT.failed],
    ['unauthorized (401)', answer(401, { error: 'unauthorized', detail: 'an admin token is required' }), CI_RESTORE_EXIT.failed],
    ['unsatisfiable (422)', answer(422, { error: 'unsatisfiable', detail: 'Because ...' }), CI_RESTORE_EXIT.failed],
    ['build failed (422)', answer(422, { error: 'build_failed', detail: 'build 12 failed: pip exited with 1' }), CI_RESTORE_EXIT.failed],
    ['build failed while followed', new BuildFailedError(BUILD), CI_RESTORE_EXIT.failed],
    ['a bug of the server (500)', answer(500, { error: 'internal', detail: 'An unexpected error occurred; it has been logged.' }), CI_RESTORE_EXIT.failed],
    ['a directory that is not empty', new TargetNotEmptyError('/work/.venv'), CI_RESTORE_EXIT.failed],
    ['no local interpreter', new InterpreterNotFoundError('3.11', ['python3.11']), CI_RESTORE_EXIT.failed],
    ['an unreadable requirements file', Object.assign(new Error("ENOENT: no such file or directory, open 'requirements.txt'"), { code: 'ENOENT' }), CI_RESTORE_EXIT.failed],
    ['something else', 'a string', CI_RESTORE_EXIT.failed],
  ])('%s', (_case, error, exitCode) => {
    const failure = restoreFailure(error, CONTEXT);
    expect(failure).toBeInstanceOf(CommandFailure);
    expect(failure.exitCode).toBe(exitCode);
    expect(isUnreachable(error)).toBe(exitCode === CI_RESTORE_EXIT.unreachable);
    expect(failure.cause).toBe(error);
  });
});

describe('restoreFailure: messages', () => {
  it('says the server is unreachable and how to fall back to pip', () => {
    expect(restoreFailure(new ServerUnreachableError(SERVER, 'connect ECONNREFUSED 10.0.0.1:443'), CONTEXT).message).toBe(
      [
        'could not restore .venv: cannot reach the venvfarm server at https://venvfarm.example.com (connect ECONNREFUSED 10.0.0.1:443)',
        "  exit code 3 (server unreachable): install with pip instead, through venvfarm's package index if it answers:",
        `    ${FALLBACK}`,
        '  or, while the whole server is down, from your usual index (the same without -i)',
      ].join('\n'),
    );
  });

  it('says when the server tried was only the default', () => {
    const context = { ...CONTEXT, server: 'http://127.0.0.1:8080', serverDefaulted: true };
    expect(restoreFailure(new ServerUnreachableError('http://127.0.0.1:8080', 'connect ECONNREFUSED 127.0.0.1:8080'), context).message.split('\n').at(-1)).toBe(
      '  no --server and no VENVFARM_SERVER were given, so http://127.0.0.1:8080 was tried: set VENVFARM_SERVER to your venvfarm server',
    );
  });

  it('says a server that answered cannot serve now, with the same fallback', () => {
    const error = answer(503, { error: 'queue_unavailable', detail: 'the job queue is needed for this request and could not answer: connect ECONNREFUSED' });
    expect(restoreFailure(error, CONTEXT).message).toBe(
      [
        'could not restore .venv: the venvfarm server at https://venvfarm.example.com cannot serve the environment now: queue_unavailable: the job queue is needed for this request and could not answer: connect ECONNREFUSED',
        "  exit code 3 (server unavailable): install with pip instead, through venvfarm's package index:",
        `    ${FALLBACK}`,
      ].join('\n'),
    );
  });

  it("names the file, the line and the position of an invalid requirement, with the server's drawing", () => {
    const error = answer(400, {
      error: 'invalid_input',
      detail: 'requirements_txt: line 2: Expected semicolon (after name with no version specifier) or end\n    idna >>= 2\n         ^',
      field: 'requirements_txt',
      line: 2,
      position: 5,
    });
    expect(restoreFailure(error, CONTEXT).message).toBe(
      [
        'could not restore .venv: invalid requirement in requirements.txt, line 2, position 5: Expected semicolon (after name with no version specifier) or end',
        '    idna >>= 2',
        '         ^',
        '  fix that line and run again',
      ].join('\n'),
    );
  });

  it('names the line of a lock that is refused', () => {
    const error = answer(400, { error: 'invalid_input', detail: 'lock: line 1: six==1.16.0 has no sha256 hash: a lock names the files it allows by their hashes', field: 'lock', line: 1 });
    expect(restoreFailure(error, { server: SERVER, lock: 'requirements.lock', into: '.venv' }).message).toBe(
      'could not restore .venv: invalid line in requirements.lock, line 1: six==1.16.0 has no sha256 hash: a lock names the files it allows by their hashes\n  fix that line and run again',
    );
  });

  it('gives the reason of a failed build and the URL of its log', () => {
    const expected = ['could not restore .venv: build 12 failed: pip exited with 1', '  its log: https://venvfarm.example.com/v1/builds/12/log'].join('\n');
    expect(restoreFailure(new BuildFailedError(BUILD), CONTEXT).message).toBe(expected);
    expect(restoreFailure(answer(422, { error: 'build_failed', detail: 'build 12 failed: pip exited with 1' }), { ...CONTEXT, server: `${SERVER}/` }).message).toBe(expected);
  });

  it('says which credential a refused request needs', () => {
    expect(restoreFailure(answer(401, { error: 'unauthorized', detail: 'this operation needs the admin token' }), CONTEXT).message).toBe(
      [
        'could not restore .venv: the server refused the credential: unauthorized: this operation needs the admin token',
        '  ci restore asks the server to build, which takes its admin token: set VENVFARM_ADMIN_TOKEN (a secret variable of the CI) to it',
      ].join('\n'),
    );
  });

  it('quotes the explanation of an unsatisfiable set', () => {
    const error = answer(422, { error: 'unsatisfiable', detail: 'Because you require six==1.0,>=1.16 and ...,\nwe can conclude that your requirements are unsatisfiable.' });
    expect(restoreFailure(error, CONTEXT).message).toBe(
      [
        'could not restore .venv: the requirements cannot be satisfied together:',
        '    Because you require six==1.0,>=1.16 and ...,',
        '    we can conclude that your requirements are unsatisfiable.',
        '  change the requirements the explanation names',
      ].join('\n'),
    );
  });

  it('tells an answer that is not venvfarm\'s from a refusal', () => {
    expect(restoreFailure(answer(404, '<html>Not Found</html>'), CONTEXT).message).toBe(
      [
        'could not restore .venv: https://venvfarm.example.com answered HTTP 404, not as a venvfarm server does: HTTP 404: <html>Not Found</html>',
        '  check --server (or VENVFARM_SERVER): it must be the root URL of a venvfarm server',
      ].join('\n'),
    );
  });

  it('says what to do about local problems', () => {
    expect(restoreFailure(new TargetNotEmptyError('/work/.venv'), CONTEXT).message).toBe(
      'could not restore .venv: refusing to unpack into /work/.venv: it exists and is not empty\n  restore into a directory that is absent or empty (remove .venv first, or choose another --into)',
    );
    expect(restoreFailure(new InterpreterNotFoundError('3.11', ['python3.11']), CONTEXT).message).toBe(
      'could not restore .venv: no Python 3.11 interpreter found (looked for: python3.11)\n  install Python 3.11 on the runner (e.g. actions/setup-python, or an image that has it), or give --interpreter PATH',
    );
  });
});
