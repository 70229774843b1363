/** A pinned set as the lock formats need it; built by the resolve API from its answer. */

/** A file of a pinned release. */
export interface LockedFile {
  readonly filename: string;
  readonly kind: 'wheel' | 'sdist';
  readonly url: string | null;
  /** Lower-case hex, or null when the index did not say. */
  readonly sha256: string | null;
}

/** A pinned release. */
export interface LockedPackage {
  /** PEP 503 normalized. */
  readonly name: string;
  readonly version: string;
  /** Extras the resolution activated. */
  readonly extras: readonly string[];
  readonly files: readonly LockedFile[];
  /** Who requires it (`-r requirements` for the request itself). */
  readonly requiredBy: readonly string[];
}

/** What was resolved for which target. */
export interface Lock {
  /** The Python version asked for, e.g. `3.11`. */
  readonly python: string;
  /** The platform shorthand, e.g. `x86_64-manylinux_2_28`. */
  readonly platform: string;
  /** A PEP 508 marker expression that holds on the target (pylock's `environments`). */
  readonly environment: string;
  /** The simple index the files come from, when known. */
  readonly indexUrl: string | null;
  /** Sorted by name. */
  readonly packages: readonly LockedPackage[];
}
