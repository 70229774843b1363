/**
 * What a build installs: one file per pin, chosen for the target, each with its sha256. The
 * resolve answer lists a pin's installable files best first (compatible wheels by tag rank,
 * then the sdist), so the first is the one pip would take; a pin whose files have no hash
 * cannot be installed with `--require-hashes` and is refused here, before any work starts.
 */

/** One file of a pin as the resolve answer lists it. */
export interface PinFile {
  readonly filename: string;
  readonly url: string | null;
  readonly sha256: string | null;
}

/** One pin of a resolve answer. */
export interface ResolvedPin {
  readonly name: string;
  readonly version: string;
  readonly files: readonly PinFile[];
}

/** A pin as a build installs it. */
export interface PlannedPin {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly kind: 'wheel' | 'sdist';
  readonly sha256: string;
  /** Where the upstream serves it (from the mirror; never from a client); null for a file uploaded to a private index (the artifact store holds it). */
  readonly url: string | null;
}

/** The exact set to install, for one target. */
export interface BuildPlan {
  /** `3.11` */
  readonly python: string;
  /** `x86_64-manylinux_2_28` */
  readonly platform: string;
  /** Sorted by name. */
  readonly pins: readonly PlannedPin[];
}

/** A pin that cannot be built as asked; `pin` names it, `reason` says why. */
export class UnbuildablePinError extends Error {
  constructor(
    readonly pin: string,
    readonly reason: string,
  ) {
    super(`${pin}: ${reason}`);
    this.name = 'UnbuildablePinError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The plan of a resolve answer's pins. @throws UnbuildablePinError */
export function planBuild(python: string, platform: string, pins: readonly ResolvedPin[]): BuildPlan {
  const planned = pins.map((pin): PlannedPin => {
    const file = pin.files[0];
    const id = `${pin.name}==${pin.version}`;
    if (file === undefined) throw new UnbuildablePinError(id, `no file of this release installs on ${platform}`);
    if (file.sha256 === null || !SHA256.test(file.sha256)) throw new UnbuildablePinError(id, `the index gives no sha256 for ${file.filename}; builds install hashed files only`);
    return { name: pin.name, version: pin.version, filename: file.filename, kind: file.filename.endsWith('.whl') ? 'wheel' : 'sdist', sha256: file.sha256, url: file.url };
  });
  return { python, platform, pins: [...planned].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}
