/**
 * The pages of the simple repository API, rendered from the mirror's rows: PEP 503 HTML and
 * PEP 691 JSON (API version 1.1, with the PEP 700 fields), the PEP 658/714 metadata attributes,
 * PEP 592 yanks and `requires-python`, in the shapes PyPI serves, which every installer reads.
 * Pure: no I/O; the caller passes where files are served from.
 */

/** The API version the pages declare (PEP 700 is 1.1). */
export const SIMPLE_API_VERSION = '1.1';

/** One file of a project page. */
export interface SimpleFileRow {
  readonly filename: string;
  readonly version: string;
  /** Lower-case hex. */
  readonly sha256: string;
  readonly size: number | null;
  readonly requiresPython: string | null;
  /** false, or the reason ('' when none was given). */
  readonly yanked: false | string;
  /** The sha256 of the PEP 658 `.metadata` file, when the index serves one. */
  readonly metadataSha256: string | null;
  readonly uploadTime: Date | null;
}

/** A project page: the project's normalized name, its serial, its files in PyPI's order. */
export interface SimpleProject {
  readonly name: string;
  readonly serial: number;
  readonly files: readonly SimpleFileRow[];
}

/** An entry of the root page. */
export interface SimpleProjectEntry {
  readonly name: string;
  readonly serial: number;
}

/** Where a file is served: relative to the page, so the index works behind any path prefix. */
export type FileHref = (file: SimpleFileRow) => string;

/** The path of a file under the files root: content-addressed, then the file's own name. */
export function filePath(sha256: string, filename: string): string {
  return `${sha256}/${encodeURIComponent(filename)}`;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

/** HTML-escapes text for an attribute or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function head(title: string): string {
  return `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">\n    <title>${escapeHtml(title)}</title>\n  </head>\n  <body>\n`;
}

/** The PEP 503 page of a project, ending with PyPI's `<!--SERIAL n-->`. */
export function projectHtml(project: SimpleProject, href: FileHref): string {
  const parts = [head(`Links for ${project.name}`), `    <h1>Links for ${escapeHtml(project.name)}</h1>\n`];
  for (const file of project.files) {
    let attributes = `href="${escapeHtml(href(file))}#sha256=${file.sha256}"`;
    if (file.requiresPython !== null) attributes += ` data-requires-python="${escapeHtml(file.requiresPython)}"`;
    if (file.yanked !== false) attributes += ` data-yanked="${escapeHtml(file.yanked)}"`;
    if (file.metadataSha256 !== null) attributes += ` data-dist-info-metadata="sha256=${file.metadataSha256}" data-core-metadata="sha256=${file.metadataSha256}"`;
    parts.push(`    <a ${attributes}>${escapeHtml(file.filename)}</a><br />\n`);
  }
  parts.push(`  </body>\n</html>\n<!--SERIAL ${project.serial}-->\n`);
  return parts.join('');
}

/**
 * The PEP 691 page of a project. `core-metadata` (PEP 714) and `data-dist-info-metadata` as PyPI
 * sends them; never `dist-info-metadata`, which pip 22.3-23.0 crash on when it holds a dict.
 */
export function projectJson(project: SimpleProject, href: FileHref): string {
  const versions: string[] = [];
  const files = project.files.map((file) => {
    if (versions[versions.length - 1] !== file.version) versions.push(file.version);
    const metadata = file.metadataSha256 === null ? false : { sha256: file.metadataSha256 };
    return {
      filename: file.filename,
      url: href(file),
      hashes: { sha256: file.sha256 },
      'requires-python': file.requiresPython,
      size: file.size,
      'upload-time': file.uploadTime?.toISOString() ?? null,
      yanked: file.yanked === false ? false : file.yanked === '' ? true : file.yanked,
      'core-metadata': metadata,
      'data-dist-info-metadata': metadata,
    };
  });
  return JSON.stringify({ meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': project.serial }, name: project.name, versions, files });
}

/** The PEP 503 root page: every project, linked relative to the root page. */
export function rootHtml(projects: readonly SimpleProjectEntry[]): string {
  const parts = [head('Simple index')];
  for (const { name } of projects) parts.push(`    <a href="${encodeURIComponent(name)}/">${escapeHtml(name)}</a>\n`);
  parts.push('  </body>\n</html>\n');
  return parts.join('');
}

/** The PEP 691 root page. */
export function rootJson(projects: readonly SimpleProjectEntry[], serial: number): string {
  return JSON.stringify({ meta: { 'api-version': SIMPLE_API_VERSION, '_last-serial': serial }, projects: projects.map((p) => ({ name: p.name, '_last-serial': p.serial })) });
}
