import { copyByteaArray, copyText, copyTextArray } from '../ingest/copy-text';
import { DumpFormatError, formatDumpLine, parseDumpLine, shardOf } from './dump-format';

// A real line of shard 00 (trimmed to two versions), in the source's exact spelling.
const LINE =
  '{"name":"a-pandas-ex-reg2df","versions":[{"version":"0.10","files":[{"filename":"a_pandas_ex_reg2df-0.10-py3-none-any.whl","requires_python":null,"requires_dist":["beautifulsoup4","pandas"],"provides_extras":[],"synthetic":true},{"filename":"a_pandas_ex_reg2df-0.10.tar.gz","requires_python":null,"requires_dist":["beautifulsoup4","pandas"],"provides_extras":[]}],"serial":3262416,"upload_time":"2020-05-31T06:21:25Z"},{"version":"0.04-alfa","files":[],"serial":3262417,"upload_time":"2020-05-31T06:21:26Z","invalid":true}]}';

describe('dump format', () => {
  it('shards by the first two hex digits of sha256(name)', () => {
    expect(shardOf('a-pandas-ex-reg2df')).toBe('00');
  });

  it('reads a line into a record and writes it back byte for byte', () => {
    const record = parseDumpLine(LINE, '00', 1);
    expect(record.name).toBe('a-pandas-ex-reg2df');
    expect(record.serial).toBe(3262417);
    expect(record.releases[0].files[0]).toMatchObject({ synthetic: true, requiresDist: ['beautifulsoup4', 'pandas'], yanked: false });
    const releases = record.releases.map((r) => ({ ...r, invalid: r.version === '0.04-alfa' }));
    expect(formatDumpLine(record.name, record.serial, releases)).toBe(LINE);
  });

  it('round-trips what a sync learns: hashes, yanks, a project serial ahead of its releases', () => {
    const line = formatDumpLine('demo', 20, [
      {
        version: '1.0',
        serial: 10,
        uploadTime: null,
        invalid: false,
        yanked: 'broken',
        files: [{ filename: 'demo-1.0.tar.gz', requiresPython: '>=3.8', requiresDist: null, providesExtras: [], yanked: 'broken', sha256: 'ab'.repeat(32), size: 10 }],
      },
      {
        version: '1.1',
        serial: 11,
        uploadTime: null,
        invalid: false,
        yanked: false,
        files: [{ filename: 'demo-1.1.tar.gz', requiresPython: null, requiresDist: [], providesExtras: [], yanked: '' }],
      },
    ]);
    const record = parseDumpLine(line, 'xx', 1);
    expect(record.serial).toBe(20);
    expect(record.releases[0]).toMatchObject({ yanked: 'broken', files: [{ sha256: 'ab'.repeat(32), size: 10, yanked: 'broken', requiresDist: null }] });
    // A release not yanked whose files all are says so, since import would otherwise derive a yank.
    expect(record.releases[1].yanked).toBe(false);
    expect(record.releases[1].files[0].yanked).toBe('');
  });

  it.each([
    ['{"name":', 'not JSON'],
    ['[]', 'expected an object with a "name"'],
    ['{"name":"x","versions":{}}', '"versions" is not a list'],
    ['{"name":"x","versions":[{"version":"1","files":[{"filename":"x-1.tar.gz","requires_dist":[1]}]}]}', '"requires_dist" is not a list of strings'],
  ])('reports a malformed line %s with where it is', (line, reason) => {
    expect(() => parseDumpLine(line, '7f', 3)).toThrow(DumpFormatError);
    expect(() => parseDumpLine(line, '7f', 3)).toThrow(new RegExp(`^7f:3: .*${reason.replace(/[[\]"]/g, '.')}`));
  });
});

describe('COPY text', () => {
  it('escapes what COPY and array literals treat specially', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('a\tb\\c\nd\0')).toBe('a\\tb\\\\c\\nd\uFFFD');
    expect(copyTextArray(['NULL', 'a"b', 'c\\d'])).toBe('{"NULL","a\\\\"b","c\\\\\\\\d"}');
    expect(copyByteaArray(['01ff', ''])).toBe('{"\\\\\\\\x01ff","\\\\\\\\x"}');
  });
});
