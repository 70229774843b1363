import { fallbackCommand, RestoreContext, shellWord } from './pip-fallback';

const CONTEXT: RestoreContext = { server: 'https://venvfarm.example.com', requirement: 'requirements.txt', python: '3.11', into: '.venv' };
const FALLBACK = 'python3.11 -m venv .venv && .venv/bin/pip install -i https://venvfarm.example.com/simple/ -r requirements.txt';

describe('fallbackCommand', () => {
  it.each<[string, RestoreContext, string | null]>([
    ['requirements', CONTEXT, FALLBACK],
    ['no --python, a constraint', { server: 'http://vf:8080/', requirement: 'req.txt', constraint: 'c.txt', into: '.venv/' }, 'python3 -m venv .venv && .venv/bin/pip install -i http://vf:8080/simple/ -r req.txt -c c.txt'],
    ['a hashed lock', { server: 'http://vf:8080', lock: 'requirements.lock', python: '3.12', into: 'env' }, 'python3.12 -m venv env && env/bin/pip install -i http://vf:8080/simple/ --require-hashes -r requirements.lock'],
    ['paths that need quotes', { server: 'http://vf', requirement: "it's reqs.txt", into: 'my env' }, "python3 -m venv 'my env' && 'my env/bin/pip' install -i http://vf/simple/ -r 'it'\\''s reqs.txt'"],
    ['a pylock.toml, which pip does not install', { server: 'http://vf', lock: 'pylock.toml', into: '.venv' }, null],
  ])('%s', (_case, context, expected) => {
    expect(fallbackCommand(context)).toBe(expected);
  });

  it('quotes for a POSIX shell', () => {
    expect(shellWord('a-b_c/d.e:f=g@h%i+j,k')).toBe('a-b_c/d.e:f=g@h%i+j,k');
    expect(shellWord('$HOME')).toBe("'$HOME'");
    expect(shellWord('')).toBe("''");
  });
});
