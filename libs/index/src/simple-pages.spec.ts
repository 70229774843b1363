import { projectHtml, projectJson, rootHtml, rootJson, SimpleProject } from './simple-pages';

const PROJECT: SimpleProject = {
  name: 'demo-pkg',
  serial: 42,
  files: [
    { filename: 'demo_pkg-1.0-py3-none-any.whl', version: '1.0', sha256: 'a'.repeat(64), size: 100, requiresPython: '>=3.8', yanked: false, metadataSha256: 'b'.repeat(64), uploadTime: new Date('2023-01-02T03:04:05Z') },
    { filename: 'demo-pkg-1.0.tar.gz', version: '1.0', sha256: 'c'.repeat(64), size: 200, requiresPython: null, yanked: false, metadataSha256: null, uploadTime: null },
    { filename: 'demo_pkg-2.0-py3-none-any.whl', version: '2.0', sha256: 'd'.repeat(64), size: 300, requiresPython: null, yanked: 'broken <build>', metadataSha256: null, uploadTime: null },
    { filename: 'demo_pkg-2.1-py3-none-any.whl', version: '2.1', sha256: 'e'.repeat(64), size: 300, requiresPython: null, yanked: '', metadataSha256: null, uploadTime: null },
  ],
};
const href = (file: { sha256: string; filename: string }) => `../../files/${file.sha256}/${file.filename}`;

describe('project pages', () => {
  it('renders PEP 503 HTML with hashes, requires-python (escaped), yanks and PEP 658/714 metadata', () => {
    const html = projectHtml(PROJECT, href);
    expect(html).toContain('<meta name="pypi:repository-version" content="1.1">');
    expect(html).toContain(
      `<a href="../../files/${'a'.repeat(64)}/demo_pkg-1.0-py3-none-any.whl#sha256=${'a'.repeat(64)}" data-requires-python="&gt;=3.8" data-dist-info-metadata="sha256=${'b'.repeat(64)}" data-core-metadata="sha256=${'b'.repeat(64)}">demo_pkg-1.0-py3-none-any.whl</a><br />`,
    );
    expect(html).toContain('data-yanked="broken &lt;build&gt;"');
    expect(html).toContain(`#sha256=${'e'.repeat(64)}" data-yanked="">`);
    expect(html.trimEnd().endsWith('<!--SERIAL 42-->')).toBe(true);
  });

  it('renders PEP 691 JSON (v1.1, PEP 700 fields), without the key pip 22.3-23.0 crash on', () => {
    const page = JSON.parse(projectJson(PROJECT, href));
    expect(page.meta).toEqual({ 'api-version': '1.1', '_last-serial': 42 });
    expect(page.versions).toEqual(['1.0', '2.0', '2.1']);
    expect(page.files[0]).toEqual({
      filename: 'demo_pkg-1.0-py3-none-any.whl',
      url: `../../files/${'a'.repeat(64)}/demo_pkg-1.0-py3-none-any.whl`,
      hashes: { sha256: 'a'.repeat(64) },
      'requires-python': '>=3.8',
      size: 100,
      'upload-time': '2023-01-02T03:04:05.000Z',
      yanked: false,
      'core-metadata': { sha256: 'b'.repeat(64) },
      'data-dist-info-metadata': { sha256: 'b'.repeat(64) },
    });
    expect(page.files.map((f: { yanked: unknown }) => f.yanked)).toEqual([false, false, 'broken <build>', true]);
    expect(page.files.every((f: object) => !('dist-info-metadata' in f))).toBe(true);
  });
});

describe('root pages', () => {
  it('lists every project in HTML and JSON', () => {
    const projects = [{ name: 'a-b', serial: 1 }, { name: 'six', serial: 9 }];
    expect(rootHtml(projects)).toContain('<a href="a-b/">a-b</a>');
    expect(JSON.parse(rootJson(projects, 9))).toEqual({ meta: { 'api-version': '1.1', '_last-serial': 9 }, projects: [{ name: 'a-b', '_last-serial': 1 }, { name: 'six', '_last-serial': 9 }] });
  });
});
