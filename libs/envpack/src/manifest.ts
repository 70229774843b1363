/**
 * `venvfarm.json`: what an environment tarball was built from, written at the venv root.
 *
 * The file is canonical so that the same build writes the same bytes: object keys sorted
 * (recursively), pins sorted by name then version, two-space indentation, a trailing newline.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The name of the manifest file at the root of a packed environment. */
export const MANIFEST_FILENAME = 'venvfarm.json';

/** One pinned distribution of the environment and the exact file installed for it. */
export interface ManifestPin {
  readonly name: string;
  readonly version: string;
  /** The wheel (or sdist) file installed. */
  readonly filename?: string;
  /** sha256 of that file, lowercase hex. */
  readonly sha256: string;
}

/** What the environment was built from; the build key is a hash over the rest. */
export interface EnvManifest {
  /** The build key (sha256 hex) this tarball is stored under. */
  readonly key: string;
  /** Target platform, e.g. `{ "os": "linux", "arch": "x86_64", "libc": "glibc 2.36" }` or a tag string. */
  readonly target: unknown;
  /** Full Python version of the builder's interpreter, e.g. `3.11.7`. */
  readonly python: string;
  /** Digest of the builder image (or a description of the local executor). */
  readonly builderDigest: string;
  readonly pins: readonly ManifestPin[];
  /** Anything else the caller records (packer version, timings are NOT deterministic: leave them out). */
  readonly [extra: string]: unknown;
}

/** `value` as JSON with object keys sorted at every level, two-space indented, newline-terminated. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The canonical text of `manifest` (pins sorted by name, then version). */
export function renderManifest(manifest: EnvManifest): string {
  const pins = [...manifest.pins].sort((a, b) => cmp(a.name, b.name) || cmp(a.version, b.version));
  return canonicalJson({ ...manifest, pins });
}

/** Writes `venvfarm.json` at the root of `venvDir` (mode 0644). */
export async function writeManifest(venvDir: string, manifest: EnvManifest): Promise<void> {
  await fs.writeFile(path.join(venvDir, MANIFEST_FILENAME), renderManifest(manifest), { mode: 0o644 });
}

/** Reads the `venvfarm.json` of an unpacked environment, or `undefined` when there is none. */
export async function readManifest(venvDir: string): Promise<EnvManifest | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(venvDir, MANIFEST_FILENAME), 'utf8')) as EnvManifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
