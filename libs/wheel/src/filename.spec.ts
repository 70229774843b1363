import fc from 'fast-check';
import { versionTextArb } from '../../pep440/src/arbitraries';
import oracle from '../fixtures/packaging-tags.json';
import { InvalidFilenameError, UnsupportedFilenameError } from './errors';
import { parseDistributionFilename, parseSdistFilename, parseWheelFilename, SDIST_FORMATS } from './filename';

/** Runs `fn` and returns the InvalidFilenameError it throws (failing if it does not). */
function failure(fn: () => unknown): InvalidFilenameError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidFilenameError) return e;
    throw e;
  }
  throw new Error('expected an InvalidFilenameError');
}

/** Where venvfarm deliberately answers differently from packaging, and why. */
const WHEEL_DEVIATIONS: Record<string, string> = {
  '-1.0-py3-none-any.whl': 'an empty project name is no name (packaging accepts it)',
  '_foo-1.0-py3-none-any.whl': 'a project name starts with a letter or digit (core metadata Name)',
  'foo__bar-1.0-py3-none-any.whl': 'pip and uv install it; packaging alone rejects doubled separators',
  'foo-1.0-py3..py2-none-any.whl': 'an empty member of a compressed tag set is a typo, not a tag',
};
const SDIST_DEVIATIONS: Record<string, string> = {
  'foo-1.0.tar': 'legacy archive kinds pip and uv still install',
  'foo-1.0.tar.bz2': 'legacy archive kinds pip and uv still install',
  'foo-1.0.tgz': 'legacy archive kinds pip and uv still install',
};

describe(`wheel filenames against packaging ${oracle.packaging}`, () => {
  it.each(Object.entries(oracle.wheels))('%s', (filename, expected) => {
    if (filename in WHEEL_DEVIATIONS) {
      // The deviation must still be real, or the note is stale.
      const ours = (() => {
        try {
          return parseWheelFilename(filename);
        } catch {
          return null;
        }
      })();
      expect(ours === null).toBe(expected !== null);
      return;
    }
    if (expected === null) {
      expect(() => parseWheelFilename(filename)).toThrow(InvalidFilenameError);
      return;
    }
    const got = parseWheelFilename(filename);
    expect({
      name: got.name,
      version: got.version,
      build: got.build && [got.build.number, got.build.tag],
      tags: [...got.tags].sort(),
    }).toEqual(expected);
  });
});

describe(`sdist filenames against packaging ${oracle.packaging}`, () => {
  it.each(Object.entries(oracle.sdists))('%s', (filename, expected) => {
    if (filename in SDIST_DEVIATIONS) {
      expect(expected).toBeNull();
      expect(parseSdistFilename(filename).version).toBe('1.0');
      return;
    }
    if (expected === null) {
      expect(() => parseSdistFilename(filename)).toThrow(InvalidFilenameError);
      return;
    }
    const got = parseSdistFilename(filename);
    expect({ name: got.name, version: got.version }).toEqual(expected);
  });
});

describe('parseWheelFilename', () => {
  it.each([
    [
      'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      {
        name: 'numpy',
        rawName: 'numpy',
        version: '1.26.4',
        build: null,
        pythonTags: ['cp311'],
        abiTags: ['cp311'],
        platformTags: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
        tags: ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-cp311-manylinux2014_x86_64'],
      },
    ],
    [
      'Zope.Interface-6.0-2_fix-py2.py3-none-any.whl',
      {
        name: 'zope-interface',
        rawName: 'Zope.Interface',
        version: '6.0',
        build: { number: 2, tag: '_fix' },
        pythonTags: ['py2', 'py3'],
        abiTags: ['none'],
        platformTags: ['any'],
        tags: ['py2-none-any', 'py3-none-any'],
      },
    ],
    [
      'foo-1.0RC1-007-CP39-ABI3-WIN_AMD64.whl',
      {
        name: 'foo',
        rawName: 'foo',
        version: '1.0rc1',
        build: { number: 7, tag: '' },
        pythonTags: ['cp39'],
        abiTags: ['abi3'],
        platformTags: ['win_amd64'],
        tags: ['cp39-abi3-win_amd64'],
      },
    ],
    [
      'torch-2.3.0+cu121-cp312-cp312-linux_x86_64.whl',
      {
        name: 'torch',
        rawName: 'torch',
        version: '2.3.0+cu121',
        build: null,
        pythonTags: ['cp312'],
        abiTags: ['cp312'],
        platformTags: ['linux_x86_64'],
        tags: ['cp312-cp312-linux_x86_64'],
      },
    ],
    [
      'a-1-py2.py3.py2-none-any.whl',
      {
        name: 'a',
        rawName: 'a',
        version: '1',
        build: null,
        pythonTags: ['py2', 'py3'],
        abiTags: ['none'],
        platformTags: ['any'],
        tags: ['py2-none-any', 'py3-none-any'],
      },
    ],
  ])('parses %s', (filename, expected) => {
    expect(parseWheelFilename(filename)).toEqual({ kind: 'wheel', filename, ...expected });
  });

  it('expands every combination of a compressed set, python first', () => {
    expect(parseWheelFilename('x-1-cp38.cp39-cp38.abi3-a.b.whl').tags).toEqual([
      'cp38-cp38-a',
      'cp38-cp38-b',
      'cp38-abi3-a',
      'cp38-abi3-b',
      'cp39-cp38-a',
      'cp39-cp38-b',
      'cp39-abi3-a',
      'cp39-abi3-b',
    ]);
  });

  it.each([
    ['foo-1.0-py3-none-any.zip', 20, ".whl'"],
    ['foo-1.0-py3-none-any', 20, ".whl'"],
    ['foo-1.0-py3-none.whl', 16, 'parts'],
    ['foo-1.0-1-2-py3-none-any.whl', 3, "too many '-'"],
    ['foo-bar-baz-1.0-py3-none-any.whl', 3, "too many '-'"],
    ['foo-bar-1.0-py3-none-any.whl', 4, 'invalid version'],
    ['foo-1.0a.b-py3-none-any.whl', 9, 'invalid version'],
    ['foo-1.0 -py3-none-any.whl', 7, 'whitespace'],
    ['foo--py3-none-any.whl', 4, 'missing version'],
    ['-1.0-py3-none-any.whl', 0, 'missing project name'],
    ['fo o-1.0-py3-none-any.whl', 2, 'project name'],
    ['_foo-1.0-py3-none-any.whl', 0, 'project name'],
    ['foo.-1.0-py3-none-any.whl', 3, 'project name'],
    ['foo-1.0-abc-py3-none-any.whl', 8, 'build tag'],
    ['foo-1.0-1a+b-py3-none-any.whl', 10, 'build tag'],
    ['foo-1.0-99999999999999999999-py3-none-any.whl', 8, 'too large'],
    ['foo-1.0-py3..py2-none-any.whl', 12, 'empty tag component'],
    ['foo-1.0-py3.-none-any.whl', 12, 'empty tag component'],
    ['foo-1.0-py3-none-.whl', 17, 'empty tag component'],
    ['foo-1.0-py3-no+ne-any.whl', 14, 'unexpected character'],
  ])('rejects %s at %d', (filename, position, reason) => {
    const error = failure(() => parseWheelFilename(filename));
    expect(error.position).toBe(position);
    expect(error.input).toBe(filename);
    expect(error.reason).toContain(reason);
    expect(error.message).toContain(`\n    ${filename}\n    ${' '.repeat(position)}^`);
  });
});

describe('parseSdistFilename', () => {
  it.each([
    ['foo-1.0.tar.gz', undefined, 'foo', '1.0', 'tar.gz'],
    ['Foo_Bar-1.0.zip', undefined, 'foo-bar', '1.0', 'zip'],
    ['foo-bar-1.0.tar.gz', undefined, 'foo-bar', '1.0', 'tar.gz'],
    ['foo-bar-1.0.tar.gz', 'Foo.Bar', 'foo-bar', '1.0', 'tar.gz'],
    // The ambiguous legacy case: the project name decides where the version starts.
    ['foo-1.0-1.tar.gz', 'foo', 'foo', '1.0.post1', 'tar.gz'],
    ['foo-1.0-1.tar.gz', undefined, 'foo-1-0', '1', 'tar.gz'],
    ['a-1-1.zip', 'a', 'a', '1.post1', 'zip'],
    ['a-1-1.zip', 'a-1', 'a-1', '1', 'zip'],
    ['Foo__Bar-1.0.tar.gz', 'foo-bar', 'foo-bar', '1.0', 'tar.gz'],
    ['pyyaml-6.0.1.tar.bz2', 'PyYAML', 'pyyaml', '6.0.1', 'tar.bz2'],
    ['foo-1.0.tgz', undefined, 'foo', '1.0', 'tgz'],
    ['foo-1.0.tar.zst', undefined, 'foo', '1.0', 'tar.zst'],
    ['foo-1.0.tar', undefined, 'foo', '1.0', 'tar'],
  ])('parses %s (project %s)', (filename, project, name, version, format) => {
    expect(parseSdistFilename(filename, project)).toMatchObject({ kind: 'sdist', filename, name, version, format });
  });

  it('knows every listed format', () => {
    for (const format of SDIST_FORMATS) expect(parseSdistFilename(`x-2.${format}`).format).toBe(format);
  });

  it.each([
    ['foo.tar.gz', undefined, 3, "'-'"],
    ['foo-.tar.gz', undefined, 4, 'missing version'],
    ['foo-bar.tar.gz', undefined, 4, 'invalid version'],
    ['foo-1.0.tar.gz', 'bar', 0, 'project "bar"'],
    ['foo-1.0.txt', undefined, 7, 'ends with'],
    ['foo-1.0.TAR.GZ', undefined, 11, 'ends with'],
    ['-1.0.zip', undefined, 0, 'missing project name'],
    ['f o-1.0.zip', undefined, 1, 'project name'],
  ])('rejects %s (project %s) at %d', (filename, project, position, reason) => {
    const error = failure(() => parseSdistFilename(filename, project));
    expect(error.position).toBe(position);
    expect(error.reason).toContain(reason);
  });
});

describe('parseDistributionFilename', () => {
  it('dispatches on the extension', () => {
    expect(parseDistributionFilename('foo-1.0-py3-none-any.whl').kind).toBe('wheel');
    expect(parseDistributionFilename('foo-1.0.tar.gz').kind).toBe('sdist');
    expect(parseDistributionFilename('foo-1.0-1.zip', 'foo')).toMatchObject({ kind: 'sdist', version: '1.0.post1' });
  });

  it.each(['foo-1.0-py2.7.egg', 'foo-1.0.win32.exe', 'foo-1.0.msi', 'foo-1.0-1.noarch.rpm'])(
    'declines %s as unsupported',
    (filename) => {
      const error = failure(() => parseDistributionFilename(filename));
      expect(error).toBeInstanceOf(UnsupportedFilenameError);
      expect(filename.slice(error.position)).toMatch(/^\.[a-z]+$/);
    },
  );
});

describe('fuzzing', () => {
  const typed = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof InvalidFilenameError)) throw e;
      expect(e.position).toBeGreaterThanOrEqual(0);
      expect(e.position).toBeLessThanOrEqual(e.input.length);
    }
  };
  const piece = fc.constantFrom(
    ...['-', '.', '_', 'a', 'Z', '1', '0', '+', '!', ' ', 'é', '\u0000'],
    ...['py3', 'none', 'any', 'rc', 'post', 'whl', '.whl', '.tar.gz', '.zip', '.egg'],
  );
  const filenameLike = fc.oneof(fc.string(), fc.array(piece, { maxLength: 20 }).map((p) => p.join('')));

  it('parses or throws the typed error, for any string', () => {
    fc.assert(
      fc.property(filenameLike, fc.option(fc.constantFrom('foo', 'a-b', 'A.B_c')), (filename, project) => {
        typed(() => parseWheelFilename(filename));
        typed(() => parseSdistFilename(filename, project ?? undefined));
        typed(() => parseDistributionFilename(filename, project ?? undefined));
      }),
      { numRuns: 3000 },
    );
  });

  const nameArb = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._]{0,10}[A-Za-z0-9])?$/);
  const tagArb = fc.array(fc.stringMatching(/^[a-z0-9_]{1,8}$/), { minLength: 1, maxLength: 3 });

  it('recovers name, version, build and tags from any well-formed wheel name', () => {
    fc.assert(
      fc.property(
        nameArb,
        // A wheel's version cannot hold '-' (local labels allow it; filenames escape it as '_').
        versionTextArb.map((v) => v.replace(/-/g, '_')),
        fc.option(fc.tuple(fc.nat({ max: 999 }), fc.stringMatching(/^[a-z_]{0,4}$/))),
        tagArb,
        tagArb,
        tagArb,
        (name, version, build, py, abi, plat) => {
          const buildPart = build ? `-${build[0]}${build[1]}` : '';
          const filename = `${name}-${version}${buildPart}-${py.join('.')}-${abi.join('.')}-${plat.join('.')}.whl`;
          const got = parseWheelFilename(filename);
          expect(got.name).toBe(name.toLowerCase().replace(/[-_.]+/g, '-'));
          expect(got.build).toEqual(build ? { number: build[0], tag: build[1] } : null);
          expect(new Set(got.tags).size).toBe(new Set(py).size * new Set(abi).size * new Set(plat).size);
        },
      ),
    );
  });

  it('splits any sdist name at the project name it is told', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?$/),
        versionTextArb,
        fc.constantFrom(...SDIST_FORMATS),
        (name, version, format) => {
          const got = parseSdistFilename(`${name}-${version}.${format}`, name);
          expect(got.rawName).toBe(name);
          expect(got.format).toBe(format);
        },
      ),
    );
  });
});
