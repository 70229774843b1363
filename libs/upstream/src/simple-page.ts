/**
 * The simple repository API as data: a project page (its files) and the root index (every
 * project, with `_last-serial` where the index says it), whichever serialization the upstream
 * sent. PEP 691 JSON and PEP 503 HTML parse into the same shapes (simple-json.ts, simple-html.ts).
 */

/** One file of a project page. */
export interface SimpleFile {
  readonly filename: string;
  /** Absolute URL without fragment. */
  readonly url: string;
  /** Hex sha256 of the file, when the index gives it. */
  readonly sha256: string | null;
  readonly requiresPython: string | null;
  /** false, or the reason ('' when none was given): PEP 592. */
  readonly yanked: false | string;
  /** Whether a PEP 658 `.metadata` file is offered (PEP 714 `core-metadata`, or the older key). */
  readonly coreMetadata: boolean;
  /** Its hex sha256, when advertised. */
  readonly coreMetadataSha256: string | null;
  readonly size: number | null;
  readonly uploadTime: string | null;
}

/** A project page. */
export interface SimpleProjectPage {
  /** Normalized name. */
  readonly name: string;
  /** The project's last serial (`meta._last-serial`, `X-PyPI-Last-Serial` or `<!--SERIAL N-->`), when known. */
  readonly serial: number | null;
  /** PEP 700 `versions` (the published spellings), when the page has them (JSON 1.1). */
  readonly versions: readonly string[] | null;
  readonly files: readonly SimpleFile[];
  readonly format: 'json' | 'html';
}

/** One entry of the root index. */
export interface RootProject {
  /** Normalized name. */
  readonly name: string;
  /** The project's `_last-serial` (JSON only). */
  readonly serial: number | null;
}

/** The root index `/simple/`. */
export interface RootIndex {
  /** The index's last serial, when known. */
  readonly serial: number | null;
  readonly projects: readonly RootProject[];
  readonly format: 'json' | 'html';
}


const HEX64 = /^[0-9a-f]{64}$/;

/** Lower-case hex sha256, or null when `value` is not one. */
export function sha256OrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const hex = value.toLowerCase();
  return HEX64.test(hex) ? hex : null;
}
