import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonProjectPage } from '@venvfarm/upstream';
import { parseHtmlProjectPage } from '@venvfarm/upstream';
import type { SimpleFile } from '@venvfarm/upstream';
import { parseAllowList, ReleaseFilter } from './allow-list';
import { buildProjectRecord, PublishedVersions, versionCandidates, versionInFilename } from './project-record';

// The upstream client's recorded pages (libs/upstream/src/fixtures) are the input of planning too.
const fixture = (name: string) => readFileSync(join(__dirname, '../../../upstream/src/fixtures', name), 'utf8');

describe('allow-list (requirements.txt syntax)', () => {
  const list = parseAllowList(
    [
      '# popular projects',
      'Flask>=2.3  # inline comment',
      '',
      'blinker',
      'zope.interface ==5.*, \\',
      '  !=5.4.0',
      "requests[socks]>=2 ; python_version >= '3.8'",
      'flask<1',
      '-r other.txt',
      'pkg @ https://example.invalid/pkg.whl',
      'not a requirement!!',
    ].join('\n'),
  );

  it('keeps names with specifiers and reports bad lines with their numbers', () => {
    expect([...list.entries.keys()]).toEqual(['flask', 'blinker', 'zope-interface', 'requests']);
    expect(list.problems.map((p) => [p.line, p.text])).toEqual([
      [9, '-r other.txt'],
      [10, 'pkg @ https://example.invalid/pkg.whl'],
      [11, 'not a requirement!!'],
    ]);
  });

  it('limits releases by specifiers, pre-releases included, lines adding up', () => {
    const filter = new ReleaseFilter(list, parseAllowList('blinker==1.5\nrequests'));
    expect(filter.allowsProject('flask')).toBe(true);
    expect(filter.allowsProject('requests')).toBe(false);
    expect(filter.allowsProject('django')).toBe(false);
    expect(['0.9', '2.2', '2.3.0', '2.4rc1', 'junk'].filter((v) => filter.allowsRelease('flask', v))).toEqual(['0.9', '2.3.0', '2.4rc1']);
    expect(['1.4', '1.5', 'junk'].filter((v) => filter.allowsRelease('blinker', v))).toEqual(['1.4', 'junk']);
    expect(['5.3', '5.4.0', '6.0'].filter((v) => filter.allowsRelease('zope-interface', v))).toEqual(['5.3']);
    expect(ReleaseFilter.ALL.allowsRelease('anything', 'junk')).toBe(true);
  });
});

describe('files to releases', () => {
  it.each([
    ['blinker-1.6.2-py3-none-any.whl', 'blinker', '1.6.2'],
    ['zope.interface-5.0.tar.gz', 'zope-interface', '5.0'],
    ['a-b-1-1.tar.gz', 'a-b', '1-1'],
    ['Foo_Bar-2.0b1.zip', 'foo-bar', '2.0b1'],
    ['foo-1.0-py2.7.egg', 'foo', '1.0'],
    ['foo-1.0.win32.exe', 'foo', null],
  ])('%s is release %s of %s', (filename, project, version) => {
    expect(versionInFilename(filename, project)).toBe(version);
  });

  it('prefers the published spelling, exact first, then PEP 440-equal', () => {
    const published = new PublishedVersions(['1.0', '1.0.0', '2.0.post1', '3.2.0']);
    expect(['1.0', '1.0.0', '2.0-1', '3.2.0.0', '4'].map((v) => published.releaseOf([v]))).toEqual(['1.0', '1.0.0', '2.0.post1', '3.2.0', '4']);
    const html = PublishedVersions.of({
      name: 'x',
      serial: null,
      versions: null,
      format: 'html',
      files: ['x-2015.4.28-py3-none-any.whl', 'x-2015.04.28.tar.gz', 'x-2.0.post1-py3-none-any.whl'].map((filename) => ({ filename }) as SimpleFile),
    });
    expect(['2015.4.28', '2.0-1', '3'].map((v) => html.releaseOf([v]))).toEqual(['2015.04.28', '2.0.post1', '3']);
  });

  it.each([
    // Real files of the data set whose unescaped version has dashes.
    ['regex-2013-02-16-py3-none-any.whl', 'regex', ['2013-02-16', '2013'], '2013-02-16'],
    ['paramiko-0.1-bulbasaur-py3-none-any.whl', 'paramiko', ['0.1-bulbasaur', '0.1'], '0.1-bulbasaur'],
    ['nose_cprof-0.1-0-py3-none-any.whl', 'nose-cprof', ['0.1', '0.1-0'], '0.1-0'],
    ['pot-0.8.1.0-cp310-cp310-win32.whl', 'pot', ['0.8.1.0'], '0.8.1'],
  ])('%s: candidates %j, published release %s', (filename, project, candidates, release) => {
    expect(versionCandidates(filename, project)).toEqual(candidates);
    expect(new PublishedVersions([release, '2013', '9']).releaseOf(candidates)).toBe(release);
  });

  it('builds the record of a real page: releases, yanks, metadata where known, allow-list applied', () => {
    const page = parseJsonProjectPage(fixture('blinker.json'), 'http://h/simple/blinker/', 'blinker');
    const metadata = new Map([['blinker-1.6.2-py3-none-any.whl', { requiresPython: '>=3.7', requiresDist: [], providesExtras: [] }]]);
    const built = buildProjectRecord(page, metadata, (v) => v !== '0.8', 3839186, new Map([['1.5', 3839186]]));
    const { record } = built;
    expect(record.name).toBe('blinker');
    expect(record.releases.map((r) => r.version)).toEqual(['0.9', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.6.1', '1.6.2']);
    expect(built.filteredFiles).toBe(1);
    const r15 = record.releases.find((r) => r.version === '1.5')!;
    expect(r15.files.map((f) => [f.filename, f.yanked])).toEqual([
      ['blinker-1.5-py2.py3-none-any.whl', 'broken <build>'],
      ['blinker-1.5.tar.gz', 'broken <build>'],
    ]);
    expect(r15.files[0].requiresDist).toBeNull();
    const latest = record.releases.at(-1)!;
    expect(latest.files[0]).toMatchObject({ requiresDist: [], metadataSha256: '80f640b17e8908a05244b49b2f234c49d7bf9a00998c1b1f2db1dba38119e5ca' });
    expect(latest.uploadTime).toMatch(/^20/);
    expect(record.releases.find((r) => r.version === '1.0')!.serial).toBe(3839186);
  });

  it('an HTML page gives the same releases', () => {
    const html = parseHtmlProjectPage(fixture('blinker.html'), 'http://h/simple/blinker/', 'blinker');
    const json = parseJsonProjectPage(fixture('blinker.json'), 'http://h/simple/blinker/', 'blinker');
    const versions = (p: typeof html) => buildProjectRecord(p, new Map(), () => true, 1).record.releases.map((r) => [r.version, r.files.length]);
    expect(versions(html)).toEqual(versions(json));
  });
});
