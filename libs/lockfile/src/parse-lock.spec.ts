import { InvalidLockError, parseLock } from './parse-lock';
import { renderPylock } from './pylock';
import { renderRequirementsTxt } from './requirements-txt';
import type { Lock } from './lock';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

const LOCK: Lock = {
  python: '3.11',
  platform: 'x86_64-manylinux_2_28',
  environment: 'python_version == "3.11"',
  indexUrl: 'https://example.invalid/simple/',
  packages: [
    {
      name: 'charset-normalizer',
      version: '3.3.0',
      extras: [],
      requiredBy: ['-r requirements'],
      files: [
        { filename: 'charset_normalizer-3.3.0-cp311-cp311-manylinux_2_17_x86_64.whl', kind: 'wheel', url: 'https://example.invalid/c.whl', sha256: A },
        { filename: 'charset-normalizer-3.3.0.tar.gz', kind: 'sdist', url: 'https://example.invalid/c.tar.gz', sha256: B },
      ],
    },
    { name: 'idna', version: '3.4', extras: [], requiredBy: ['-r requirements'], files: [{ filename: 'idna-3.4-py3-none-any.whl', kind: 'wheel', url: 'https://example.invalid/i.whl', sha256: C }] },
  ],
};

describe('parseLock', () => {
  it('reads the locks venvfarm writes, in both formats, to the same pins and hashes', () => {
    const expected = [
      { name: 'charset-normalizer', version: '3.3.0', sha256: [A, B], marker: null },
      { name: 'idna', version: '3.4', sha256: [C], marker: null },
    ];
    expect(parseLock(renderRequirementsTxt(LOCK))).toEqual({ format: 'requirements.txt', requirements: expected });
    expect(parseLock(renderPylock(LOCK))).toEqual({ format: 'pylock.toml', requirements: expected });
  });

  it("reads pip-compile's spelling: continuations, comments, index options, markers, other algorithms", () => {
    const text = [
      '--index-url https://example.invalid/simple',
      'Django==4.2.5 \\',
      `    --hash=sha256:${A.toUpperCase()} \\`,
      `    --hash=sha512:${'d'.repeat(128)}`,
      '    # via -r requirements.in',
      `tomli==2.0.1 ; python_version < "3.11" --hash=sha256:${B}`,
    ].join('\n');
    const { requirements } = parseLock(text);
    expect(requirements.map((r) => [r.name, r.version, r.sha256])).toEqual([
      ['django', '4.2.5', [A]],
      ['tomli', '2.0.1', [B]],
    ]);
    expect(requirements[1].marker?.toString()).toBe('python_version < "3.11"');
  });

  it.each([
    ['django>=4', /line 1: django is not pinned to one version/],
    ['django==4.2', /line 1: django==4.2 has no sha256 hash/],
    ['django==4.2 --hash=sha256:abc', /line 1: django==4.2: 'abc' is not a sha256 digest/],
    ['django==4.*  --hash=sha256:' + A, /not pinned to one version/],
    ['-r other.txt', /line 1: -r references another file/],
    [`a==1 --hash=sha256:${A}\na==2 --hash=sha256:${B}`, /a is pinned twice \(1 and 2\)/],
    ['', /the lock pins nothing/],
    ['lock-version = "1.0"\n[[packages]]\nname = "x"\n', /packages\[0\] needs a name and a version/],
    ['lock-version = "1.0"\n[[packages]]\nname = "x"\nversion = "1"\n', /x==1 has no sha256 hash/],
    ['lock-version = "1.0"\npackages = [', /not valid TOML/],
  ])('refuses %j', (text, message) => {
    expect(() => parseLock(text)).toThrow(InvalidLockError);
    expect(() => parseLock(text)).toThrow(message);
  });
});
