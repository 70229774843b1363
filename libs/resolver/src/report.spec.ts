/** The wording of failure explanations, pinned down as whole texts. */
import { parseTarget } from '@venvfarm/pep508';
import { InMemoryIndex, InMemoryProvider } from './in-memory-provider';
import { resolve, ResolveOptions, UnsatisfiableError } from './resolve';

async function explain(index: InMemoryIndex, requirements: string[], options: Partial<ResolveOptions> = {}): Promise<string> {
  try {
    await resolve(requirements, new InMemoryProvider(index), { target: parseTarget({ python: '3.12' }), ...options });
  } catch (error) {
    if (error instanceof UnsatisfiableError) return error.explanation;
    throw error;
  }
  throw new Error('expected no resolution');
}

describe('explanations', () => {
  it('linear derivation (solver.md "linear error reporting")', async () => {
    const index: InMemoryIndex = {
      foo: { '1.0.0': { requires: ['bar>=2,<3'] } },
      bar: { '2.0.0': { requires: ['baz>=3,<4'] } },
      baz: { '1.0.0': {}, '3.0.0': {} },
    };
    expect(await explain(index, ['foo>=1,<2', 'baz>=1,<2'])).toBe(
      [
        'Because foo==1.0.0 depends on bar>=2,<3 and bar==2.0.0 depends on baz>=3,<4, we can conclude that foo==1.0.0 depends on baz>=3,<4.',
        'And because you require foo>=1,<2 and baz>=1,<2, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
  });

  it('branching derivation with a numbered reference (solver.md "branching error reporting")', async () => {
    const index: InMemoryIndex = {
      foo: { '1.0.0': { requires: ['a>=1,<2', 'b>=1,<2'] }, '1.1.0': { requires: ['x>=1,<2', 'y>=1,<2'] } },
      a: { '1.0.0': { requires: ['b>=2,<3'] } },
      b: { '1.0.0': {}, '2.0.0': {} },
      x: { '1.0.0': { requires: ['y>=2,<3'] } },
      y: { '1.0.0': {}, '2.0.0': {} },
    };
    expect(await explain(index, ['foo>=1,<2'])).toBe(
      [
        'Because a==1.0.0 depends on b>=2,<3 and foo==1.0.0 depends on a>=1,<2, we can conclude that foo==1.0.0 depends on b>=2,<3.',
        'And because foo==1.0.0 depends on b>=1,<2, we can conclude that foo==1.0.0 cannot be used. (1)',
        '',
        'Because x==1.0.0 depends on y>=2,<3 and foo==1.1.0 depends on x>=1,<2, we can conclude that foo==1.1.0 depends on y>=2,<3.',
        'And because foo==1.1.0 depends on y>=1,<2, we can conclude that foo==1.1.0 cannot be used.',
        'And because foo==1.0.0 cannot be used (1), we can conclude that foo cannot be used.',
        'And because you require foo>=1,<2, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
  });

  it('merges versions with the same dependency into ranges', async () => {
    const a = Object.fromEntries(['1.0', '1.1', '1.2', '2.0', '2.1', '3.0'].map((v) => [v, { requires: [v.startsWith('2') ? 'c==2' : 'c==1'] }]));
    const index: InMemoryIndex = { a, b: { '1.0': { requires: ['c==3'] } }, c: { '1.0': {}, '2.0': {}, '3.0': {} } };
    expect(await explain(index, ['a', 'b'])).toBe(
      [
        'Because a<2.0 depends on c==1 and a>=2.0,<3.0 depends on c==2, we can conclude that a<3.0 depends on c<3.0.',
        'And because a==3.0 depends on c==1 and b==1.0 depends on c==3, we can conclude that a and b==1.0 are incompatible.',
        'And because you require a and b, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
  });

  it('unavailable releases: Requires-Python and a missing project', async () => {
    const index: InMemoryIndex = { a: { '1.0': { requiresPython: '>=3.13' }, '2.0': { requiresPython: '>=3.13' }, '0.9': { requires: ['b'] } } };
    expect(await explain(index, ['a'])).toBe(
      [
        'Because a==0.9 depends on b and b was not found in the package registry, we can conclude that a==0.9 cannot be used.',
        'And because a>=1.0 requires Python >=3.13 (the target is 3.12) and you require a, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
  });

  it('unavailable releases: yanked, no compatible file', async () => {
    const index: InMemoryIndex = {
      a: { '1.0': { yanked: 'bad release' }, '2.0': { files: { wheels: ['a-2.0-cp312-cp312-win_amd64.whl'], sdist: false } } },
    };
    expect(await explain(index, ['a>=1'])).toBe(
      [
        'Because a==1.0 was yanked (reason: bad release) and a==2.0 has no wheel compatible with x86_64-manylinux_2_17 and no source distribution, we can conclude that a cannot be used.',
        'And because you require a>=1, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
  });

  it('extras and a pre-release hint', async () => {
    const index: InMemoryIndex = { a: { '1.0': { extras: { x: ['b<2'] } } }, b: { '1.0': {}, '2.0': {} }, c: { '1.0': {}, '2.0rc1': {} } };
    expect(await explain(index, ['a[x]', 'b>=2'])).toBe(
      [
        'Because a[x]==1.0 depends on b<2 and you require a[x], we can conclude that b<2 is required.',
        'And because you require b>=2, we can conclude that your requirements are unsatisfiable.',
      ].join('\n'),
    );
    expect(await explain(index, ['c>1'], { prereleases: 'if-necessary-or-explicit' })).toBe(
      'Because you require c>1 and there is no version of c>1 (the pre-release c==2.0rc1 matches, but pre-releases are not allowed here), ' +
        'we can conclude that your requirements are unsatisfiable.',
    );
  });

  it('a direct URL requirement of the user', async () => {
    expect(await explain({}, ['a @ https://example.com/a-1.0.tar.gz'])).toBe(
      'Because you require a @ https://example.com/a-1.0.tar.gz, a direct URL requirement, which is not supported, we can conclude that your requirements are unsatisfiable.',
    );
  });
});
