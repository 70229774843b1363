/**
 * Distribution filenames: wheels (binary distribution format spec, PEP 427/491:
 * `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`) and source distributions
 * (source distribution format spec, PEP 625: `{name}-{version}.tar.gz`, plus `.zip` and the
 * legacy archive kinds pip and uv still install).
 *
 * Surprises worth knowing:
 * - In a wheel name `-` separates fields, so the project name has its dashes escaped to `_`
 *   and the count of dashes (4 or 5) decides whether there is a build tag.
 * - A legacy sdist name is ambiguous: `a-b-1.0.tar.gz` is project `a-b` version `1.0`, but
 *   `a-1-1.tar.gz` could be `a` `1-1` (a post release) or `a-1` `1`. Given the project name,
 *   the split is the first `-` whose prefix normalizes to it (pip's `_find_name_version_sep`,
 *   uv's `SourceDistFilename::parse`); without it, the last `-` (packaging's
 *   `parse_sdist_filename`), which is right for every PEP 625 name.
 * - Extensions are matched case-sensitively, as packaging and uv do.
 * - Versions must be valid PEP 440 (any spelling); they are reported normalized.
 * - Eggs and installers (`.egg`, `.exe`, `.msi`, `.rpm`…) raise {@link UnsupportedFilenameError}.
 */
import { InvalidVersionError, Version } from '@venvfarm/pep440';
import { normalizeName } from '@venvfarm/pep508';
import { InvalidFilenameError, UnsupportedFilenameError } from './errors';
import { expandTagSet, splitCompressedPart } from './tags';

/** A parsed wheel filename. */
export interface WheelFilename {
  readonly kind: 'wheel';
  /** The filename as given. */
  readonly filename: string;
  /** PEP 503-normalized project name (`foo_bar` → `foo-bar`). */
  readonly name: string;
  /** The name as written in the filename. */
  readonly rawName: string;
  /** Normalized PEP 440 version. */
  readonly version: string;
  /** Optional build tag: leading digits and the rest, compared as (number, tag). */
  readonly build: { readonly number: number; readonly tag: string } | null;
  /** Every expanded tag, lower-case, e.g. `py3-none-any`. */
  readonly tags: readonly string[];
  readonly pythonTags: readonly string[];
  readonly abiTags: readonly string[];
  readonly platformTags: readonly string[];
}

/** Archive kinds of source distributions: PEP 625's `tar.gz`, then the legacy ones. */
export const SDIST_FORMATS = [
  'tar.gz',
  'zip',
  'tar.bz2',
  'tar.xz',
  'tar.lz',
  'tar.lzma',
  'tar.zst',
  'tar',
  'tgz',
  'tbz',
  'txz',
  'tlz',
] as const;

export type SdistFormat = (typeof SDIST_FORMATS)[number];

/** A parsed source distribution filename. */
export interface SdistFilename {
  readonly kind: 'sdist';
  readonly filename: string;
  /** PEP 503-normalized project name. */
  readonly name: string;
  /** The name as written in the filename. */
  readonly rawName: string;
  /** Normalized PEP 440 version. */
  readonly version: string;
  readonly format: SdistFormat;
}

export type DistributionFilename = WheelFilename | SdistFilename;

/** Distribution kinds recognised only to be declined. */
const UNSUPPORTED_EXTENSIONS = ['.egg', '.exe', '.msi', '.rpm', '.dmg', '.deb', '.egg-info'];


const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/**
 * Offset of the first character that keeps `name` from being a project name (core metadata
 * `Name`: ASCII letters, digits and `allowed`, starting and ending with a letter or digit), or
 * -1 when it is valid.
 */
function nameError(name: string, allowed: RegExp): number {
  if (name.length === 0) return 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (isAlnum(c)) continue;
    if (i === 0 || i === name.length - 1 || !allowed.test(c)) return i;
  }
  return -1;
}

/** Parses and normalizes the version found at `offset` of `filename`. */
function parseVersionAt(filename: string, text: string, offset: number): string {
  const blank = text.search(/\s/);
  if (blank >= 0) throw new InvalidFilenameError('whitespace in version', filename, offset + blank);
  if (text.length === 0) throw new InvalidFilenameError('missing version', filename, offset);
  try {
    return Version.parse(text).toString();
  } catch (e) {
    if (!(e instanceof InvalidVersionError)) throw e;
    throw new InvalidFilenameError(`invalid version ${JSON.stringify(text)}`, filename, offset + e.position);
  }
}

/** Indexes of every `-` in `text`. */
function dashesOf(text: string): number[] {
  const dashes: number[] = [];
  for (let i = text.indexOf('-'); i >= 0; i = text.indexOf('-', i + 1)) dashes.push(i);
  return dashes;
}

/**
 * Parses a wheel filename, expanding compressed tag sets, like packaging's
 * `parse_wheel_filename`.
 * @throws InvalidFilenameError with the position of the first offending character.
 */
export function parseWheelFilename(filename: string): WheelFilename {
  if (!filename.endsWith('.whl')) {
    const dot = filename.lastIndexOf('.');
    const at = dot > filename.lastIndexOf('-') ? dot : filename.length;
    throw new InvalidFilenameError("a wheel filename ends with '.whl'", filename, at);
  }
  const stem = filename.slice(0, -4);
  const dashes = dashesOf(stem);
  if (dashes.length < 4) {
    throw new InvalidFilenameError(
      'a wheel filename has the parts name-version(-build)?-python-abi-platform',
      filename,
      stem.length,
    );
  }
  if (dashes.length > 5) {
    // The tag separators are certainly the last ones; the stray '-' is most often in the name.
    throw new InvalidFilenameError("too many '-': a wheel name escapes '-' as '_'", filename, dashes[0]);
  }

  // Part boundaries: [start, end) of each of the 5 or 6 fields.
  const bounds = [-1, ...dashes, stem.length];
  const field = (i: number) => ({ start: bounds[i] + 1, text: stem.slice(bounds[i] + 1, bounds[i + 1]) });
  const name = field(0);
  const version = field(1);
  const hasBuild = dashes.length === 5;
  const tagFields = hasBuild ? [field(3), field(4), field(5)] : [field(2), field(3), field(4)];

  const bad = nameError(name.text, /^[._]$/);
  if (bad >= 0) {
    throw new InvalidFilenameError(
      name.text.length === 0 ? 'missing project name' : 'invalid character in project name',
      filename,
      name.start + bad,
    );
  }
  const normalizedVersion = parseVersionAt(filename, version.text, version.start);

  let build: WheelFilename['build'] = null;
  if (hasBuild) {
    const b = field(2);
    const m = /^(\d+)([A-Za-z0-9_.]*)$/.exec(b.text);
    if (!m) {
      const at = /^\d/.test(b.text) ? b.text.search(/[^A-Za-z0-9_.]/) : 0;
      throw new InvalidFilenameError('a build tag starts with a digit', filename, b.start + at);
    }
    const number = Number(m[1]);
    if (!Number.isSafeInteger(number)) {
      throw new InvalidFilenameError('build number too large', filename, b.start);
    }
    build = { number, tag: m[2] };
  }

  const [pythonTags, abiTags, platformTags] = tagFields.map((f) => {
    const split = splitCompressedPart(f.text);
    if ('offset' in split) throw new InvalidFilenameError(split.reason, filename, f.start + split.offset);
    return split.members;
  });

  return {
    kind: 'wheel',
    filename,
    name: normalizeName(name.text),
    rawName: name.text,
    version: normalizedVersion,
    build,
    tags: expandTagSet(pythonTags, abiTags, platformTags),
    pythonTags,
    abiTags,
    platformTags,
  };
}

/** The sdist archive kind `filename` ends with, if any. */
export function sdistFormatOf(filename: string): SdistFormat | null {
  // No format's extension is a suffix of another's, so the first match is the only one.
  return SDIST_FORMATS.find((format) => filename.endsWith(`.${format}`)) ?? null;
}

/**
 * Parses a source distribution filename. Give `projectName` when known: legacy names with `-`
 * in the project or version are then split as pip and uv do.
 * @throws InvalidFilenameError with the position of the first offending character;
 *   UnsupportedFilenameError for eggs and installers.
 */
export function parseSdistFilename(filename: string, projectName?: string): SdistFilename {
  const format = sdistFormatOf(filename);
  if (format === null) {
    rejectUnsupported(filename);
    const dot = filename.lastIndexOf('.');
    const at = dot > filename.lastIndexOf('-') ? dot : filename.length;
    throw new InvalidFilenameError(
      `a source distribution filename ends with .${SDIST_FORMATS.join(', .')}`,
      filename,
      at,
    );
  }
  const stem = filename.slice(0, filename.length - format.length - 1);

  let sep: number;
  if (projectName !== undefined) {
    const wanted = normalizeName(projectName);
    sep = dashesOf(stem).find((i) => normalizeName(stem.slice(0, i)) === wanted) ?? -1;
    if (sep < 0) {
      throw new InvalidFilenameError(
        `the filename does not start with project ${JSON.stringify(projectName)} and a '-'`,
        filename,
        0,
      );
    }
  } else {
    sep = stem.lastIndexOf('-');
    if (sep < 0) throw new InvalidFilenameError("expected '-' between name and version", filename, stem.length);
  }

  const rawName = stem.slice(0, sep);
  const bad = nameError(rawName, /^[-._]$/);
  if (bad >= 0) {
    throw new InvalidFilenameError(
      rawName.length === 0 ? 'missing project name' : 'invalid character in project name',
      filename,
      bad,
    );
  }
  const version = parseVersionAt(filename, stem.slice(sep + 1), sep + 1);
  return { kind: 'sdist', filename, name: normalizeName(rawName), rawName, version, format };
}

/** Throws UnsupportedFilenameError for recognised but unhandled distribution kinds. */
function rejectUnsupported(filename: string): void {
  const ext = UNSUPPORTED_EXTENSIONS.find((e) => filename.endsWith(e));
  if (ext) {
    throw new UnsupportedFilenameError(
      `${ext} distributions are not supported; only wheels and source distributions are`,
      filename,
      filename.length - ext.length,
    );
  }
}

/**
 * Parses a wheel or source distribution filename, chosen by extension.
 * @throws InvalidFilenameError, or UnsupportedFilenameError for eggs and installers.
 */
export function parseDistributionFilename(filename: string, projectName?: string): DistributionFilename {
  if (filename.endsWith('.whl')) return parseWheelFilename(filename);
  return parseSdistFilename(filename, projectName);
}
