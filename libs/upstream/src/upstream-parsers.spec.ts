import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoreMetadata } from './core-metadata';
import { parseHtmlProjectPage, parseHtmlRootIndex, unescapeHtml } from './simple-html';
import { parseJsonProjectPage, parseJsonRootIndex } from './simple-json';
import { MalformedResponseError, MetadataHashMismatchError, XmlRpcFaultError } from './upstream-errors';
import { changelogEntries, parseXmlRpcResponse, xmlRpcRequest } from './xml-rpc';

/** Fixtures are pypi-sim's own output (popular.txt data, blinker 1.5 yanked with reason "broken <build>"). */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const text = (name: string) => fixture(name).toString('utf8');
const PAGE = 'http://127.0.0.1:38998/simple/blinker/';

describe('PEP 691 JSON', () => {
  it('reads a project page: files, hashes, requires-python, yanks, core metadata, serial, versions', () => {
    const page = parseJsonProjectPage(text('blinker.json'), PAGE, 'blinker');
    expect(page).toMatchObject({ name: 'blinker', serial: 3839186, format: 'json' });
    expect(page.versions).toEqual(['0.8', '0.9', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.6.1', '1.6.2']);
    expect(page.files).toHaveLength(12);
    const wheel = page.files.find((f) => f.filename === 'blinker-1.5-py2.py3-none-any.whl')!;
    expect(wheel).toEqual({
      filename: 'blinker-1.5-py2.py3-none-any.whl',
      url: 'http://127.0.0.1:38998/files/blinker/blinker-1.5-py2.py3-none-any.whl',
      sha256: 'a23c8a95b56b342ff8b7919d4c9d1f3f4ab3c12872453fff345d20eb8e015b4c',
      requiresPython: '>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*',
      yanked: 'broken <build>',
      coreMetadata: true,
      coreMetadataSha256: '05d6f63cf62a85122aeebfd5b91a6c9156fc8945517e8f8e44e53774faf5edc3',
      size: expect.any(Number),
      uploadTime: expect.stringMatching(/^20\d\d-/),
    });
    const sdist = page.files.find((f) => f.filename === 'blinker-0.8.tar.gz')!;
    expect(sdist).toMatchObject({ yanked: false, coreMetadata: false, coreMetadataSha256: null, requiresPython: null });
  });

  it('reads the root index with per-project _last-serial', () => {
    expect(parseJsonRootIndex(text('root.json'), 'http://x/simple/')).toEqual({
      serial: 3839186,
      format: 'json',
      projects: [
        { name: 'blinker', serial: 3839186 },
        { name: 'flask', serial: 3839185 },
        { name: 'itsdangerous', serial: 3623670 },
        { name: 'zope-interface', serial: 3799080 },
      ],
    });
  });

  it('resolves relative URLs, accepts true and the pre-PEP 714 key, yanked: true', () => {
    const page = parseJsonProjectPage(
      JSON.stringify({
        meta: { 'api-version': '1.0' },
        name: 'Demo_Pkg',
        files: [
          { filename: 'demo_pkg-1.0-py3-none-any.whl', url: '../../files/demo_pkg-1.0-py3-none-any.whl#sha256=00', hashes: {}, 'data-dist-info-metadata': true, yanked: true },
          { filename: 'demo_pkg-1.0.tar.gz', url: 'demo_pkg-1.0.tar.gz', hashes: { sha256: 'nothex' }, 'dist-info-metadata': { sha256: 'A'.repeat(64) } },
        ],
      }),
      'http://h/simple/demo-pkg/',
      'demo-pkg',
    );
    expect(page.name).toBe('demo-pkg');
    expect(page.versions).toBeNull();
    expect(page.files[0]).toMatchObject({ url: 'http://h/files/demo_pkg-1.0-py3-none-any.whl', coreMetadata: true, coreMetadataSha256: null, yanked: '', sha256: null });
    expect(page.files[1]).toMatchObject({ url: 'http://h/simple/demo-pkg/demo_pkg-1.0.tar.gz', coreMetadataSha256: 'a'.repeat(64), yanked: false });
  });

  it.each([
    ['not JSON', '<html>'],
    ['no files', '{"name": "x"}'],
    ['a file without url', '{"files": [{"filename": "x-1.tar.gz"}]}'],
  ])('rejects a malformed page (%s) with the URL and project', (_, body) => {
    const error = (() => {
      try {
        parseJsonProjectPage(body, PAGE, 'blinker');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ url: PAGE, project: 'blinker' });
  });
});

describe('PEP 503 HTML', () => {
  it('reads the same files as the JSON page, HTML-unescaping attributes', () => {
    const html = parseHtmlProjectPage(text('blinker.html'), PAGE, 'blinker');
    const json = parseJsonProjectPage(text('blinker.json'), PAGE, 'blinker');
    expect(html.serial).toBe(3839186);
    expect(html.format).toBe('html');
    expect(html.files.map(({ size: _s, uploadTime: _u, ...f }) => f)).toEqual(json.files.map(({ size: _s, uploadTime: _u, ...f }) => f));
  });

  it('prefers the X-PyPI-Last-Serial header', () => {
    expect(parseHtmlProjectPage(text('blinker.html'), PAGE, 'blinker', 7).serial).toBe(7);
  });

  it('reads the root index', () => {
    const root = parseHtmlRootIndex(text('root.html'), 'http://x/simple/');
    expect(root.projects.map((p) => p.name)).toEqual(['blinker', 'flask', 'itsdangerous', 'zope-interface']);
    expect(root.projects.every((p) => p.serial === null)).toBe(true);
  });

  it('handles single quotes, bare attributes, data-core-metadata="true", relative hrefs', () => {
    const page = parseHtmlProjectPage(
      `<a href='../../f/x-1.0-py3-none-any.whl#sha256=${'b'.repeat(64)}' data-yanked data-core-metadata="true">x-1.0-py3-none-any.whl</a>` +
        `<A HREF="x-1.1.tar.gz" data-requires-python="&gt;=3.8,&lt;4" data-yanked="a &amp;&#32;b">x-1.1.tar.gz</A>`,
      'http://h/simple/x/',
      'x',
    );
    expect(page.files).toEqual([
      expect.objectContaining({ url: 'http://h/f/x-1.0-py3-none-any.whl', sha256: 'b'.repeat(64), yanked: '', coreMetadata: true, coreMetadataSha256: null }),
      expect.objectContaining({ url: 'http://h/simple/x/x-1.1.tar.gz', requiresPython: '>=3.8,<4', yanked: 'a & b', coreMetadata: false }),
    ]);
  });

  it('rejects a link without href', () => {
    expect(() => parseHtmlProjectPage('<a name="x">x-1.tar.gz</a>', PAGE, 'blinker')).toThrow(MalformedResponseError);
  });

  it('unescapes entities', () => {
    expect(unescapeHtml('&gt;=3 &#x21; &#33; &bogus; &amp;lt;')).toBe('>=3 ! ! &bogus; &lt;');
  });
});

describe('core metadata', () => {
  const URL_ = 'http://h/files/flask/flask-2.3.3-py3-none-any.whl.metadata';

  it('reads Requires-Dist, Requires-Python and Provides-Extra, verifying the advertised sha256', () => {
    const metadata = parseCoreMetadata(fixture('flask-2.3.3-py3-none-any.whl.metadata'), URL_, 'flask', 'ef20506754e3feb93e3794d25149e14eae175d02d6b870aa8d7db5fd96b55de9');
    expect(metadata).toEqual({
      metadataVersion: '2.1',
      name: 'flask',
      version: '2.3.3',
      requiresPython: '>=3.8',
      requiresDist: [
        'Werkzeug>=2.3.7',
        'Jinja2>=3.1.2',
        'itsdangerous>=2.1.2',
        'click>=8.1.3',
        'blinker>=1.6.2',
        "importlib-metadata>=3.6.0; python_version < '3.10'",
        'asgiref>=3.2 ; extra == "async"',
        'python-dotenv ; extra == "dotenv"',
      ],
      providesExtras: ['async', 'dotenv'],
    });
  });

  it('rejects a file whose hash is not the advertised one', () => {
    expect(() => parseCoreMetadata(fixture('flask-2.3.3-py3-none-any.whl.metadata'), URL_, 'flask', '0'.repeat(64))).toThrow(MetadataHashMismatchError);
  });

  it('unfolds continuation lines, stops at the body, tolerates CRLF', () => {
    const metadata = parseCoreMetadata('Metadata-Version: 2.1\r\nName: x\r\nRequires-Dist: a;\r\n  extra == "b"\r\nProvides-Extra: b\r\n\r\nRequires-Dist: not-a-header\r\n', URL_);
    expect(metadata.requiresDist).toEqual(['a;\nextra == "b"']);
    expect(metadata.providesExtras).toEqual(['b']);
    expect(metadata.requiresPython).toBeNull();
  });

  it('rejects what is not core metadata', () => {
    expect(() => parseCoreMetadata('<html>oops</html>', URL_, 'flask')).toThrow(MalformedResponseError);
  });
});

describe('XML-RPC', () => {
  const RPC = 'http://h/pypi';

  it('reads changelog_since_serial rows', () => {
    const rows = changelogEntries(parseXmlRpcResponse(text('changelog-since-serial.xml'), RPC), RPC);
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.action === 'new release').map((r) => [r.name, r.version])).toEqual([
      ['zope-interface', '6.1a2'],
      ['flask', '2.3.3'],
    ]);
    expect(rows.at(-1)).toMatchObject({ name: 'blinker', version: '1.5', action: 'yank release', serial: 3839186 });
    expect(rows.map((r) => r.serial)).toEqual([...rows.map((r) => r.serial)].sort((a, b) => a - b));
  });

  it('reads changelog_last_serial', () => {
    expect(parseXmlRpcResponse(text('changelog-last-serial.xml'), RPC)).toBe(3839186);
  });

  it('turns a fault into XmlRpcFaultError', () => {
    expect(() => parseXmlRpcResponse(text('fault.xml'), RPC)).toThrow(XmlRpcFaultError);
    expect(() => parseXmlRpcResponse(text('fault.xml'), RPC)).toThrow(/method "no_such" is not supported/);
  });

  it('decodes structs, booleans, nil, untyped strings and escapes the request', () => {
    const xml =
      '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
      '<member><name>a</name><value><boolean>1</boolean></value></member>' +
      '<member><name>b</name><value>plain &amp; text</value></member>' +
      '<member><name>c</name><value><nil/></value></member>' +
      '<member><name>d</name><value><array><data><value><i4>-3</i4></value></data></array></value></member>' +
      '</struct></value></param></params></methodResponse>';
    expect(parseXmlRpcResponse(xml, RPC)).toEqual({ a: true, b: 'plain & text', c: null, d: [-3] });
    expect(xmlRpcRequest('m', [1, 'a<b'])).toContain('<string>a&lt;b</string>');
    expect(() => parseXmlRpcResponse('garbage', RPC)).toThrow(MalformedResponseError);
  });
});
