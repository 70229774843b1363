/**
 * Keeping `*.dist-info/RECORD` true after the tree was changed (binary distribution format spec,
 * "The RECORD file"; recording installed projects spec).
 *
 * RECORD is a CSV of `path,hash,size` with paths relative to the directory holding the
 * `.dist-info` (so `../../../bin/flask` for a console script). Lines of removed files
 * (`__pycache__/*.pyc`, `direct_url.json`) are dropped, lines of rewritten files get the new
 * `sha256=` (urlsafe base64, no padding) and size, and an absolute path under the build prefix
 * becomes relative. Other lines are kept byte for byte, as is the line terminator (pip writes
 * `\r\n`).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';

/** The new content of a file the packer rewrote, as RECORD states it. */
export interface RecordedFile {
  readonly sha256: Buffer;
  readonly size: number;
}

/** What {@link rewriteRecord} needs to know about the tree, keyed by venv-relative path. */
export interface RecordChanges {
  /** Venv-relative path of the directory holding the `.dist-info` (e.g. `lib/python3.11/site-packages`). */
  readonly siteDir: string;
  readonly buildPrefix: string;
  readonly isRemoved: (venvRel: string) => boolean;
  readonly rewritten: ReadonlyMap<string, RecordedFile>;
}

/** `sha256=<urlsafe base64 without padding>` of `data`, as RECORD writes hashes. */
export function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/** The RECORD text `text` updated for removed and rewritten files; the same text when nothing applies. */
export function rewriteRecord(text: string, changes: RecordChanges): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const out: string[] = [];
  for (const line of lines) {
    if (line === '') {
      out.push(line);
      continue;
    }
    const fields = parseCsvLine(line);
    let recorded = fields[0];
    if (recorded.startsWith(`${changes.buildPrefix}/`)) {
      recorded = path.posix.relative(changes.siteDir, recorded.slice(changes.buildPrefix.length + 1));
    }
    const venvRel = path.posix.normalize(path.posix.join(changes.siteDir, recorded));
    if (changes.isRemoved(venvRel)) continue;
    const rewritten = changes.rewritten.get(venvRel);
    if (rewritten) {
      out.push(formatCsvLine([recorded, `sha256=${rewritten.sha256.toString('base64url')}`, String(rewritten.size)]));
    } else if (recorded !== fields[0]) {
      out.push(formatCsvLine([recorded, ...fields.slice(1)]));
    } else {
      out.push(line);
    }
  }
  return out.join(eol);
}

/** Splits one CSV line as Python's `csv` module writes it (QUOTE_MINIMAL, `"` doubled). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          field += line.slice(i);
          i = line.length;
          break;
        }
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      i = comma < 0 ? line.length : comma;
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** Joins fields as Python's `csv` module does by default (quoting only when needed). */
export function formatCsvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.split('"').join('""')}"` : f)).join(',');
}
