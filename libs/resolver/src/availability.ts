/**
 * Which releases can be used at all, whatever is asked of them, and why not: Requires-Python
 * (core metadata 1.2, checked against the target's full Python version), files (a wheel whose
 * tags the target accepts (PEP 425), or a source distribution, each possibly forbidden by
 * no-binary / no-build), and yanks (PEP 592: a yanked release is used only when a first-party
 * requirement pins it exactly with `==` or `===`).
 *
 * Releases sharing a reason are grouped, so one incompatibility covers them all ("a>=2.0
 * requires Python >=3.10"). When several reasons apply, the first of Requires-Python, files,
 * yanked is reported.
 *
 * Requires-Python is checked in full, upper bounds included, as pip does: pip refuses to install a
 * release whose Requires-Python excludes the interpreter. (uv ignores upper bounds.)
 */
import type { Version } from '@venvfarm/pep440';
import type { Target } from '@venvfarm/pep508';
import { parseWheelFilename, TagPriority } from '@venvfarm/wheel';
import type { Candidate } from './provider';
import type { UnavailableGroup } from './solver';
import { VersionSet } from './version-set';

/** What is wrong with a release's files. */
export interface FileProblem {
  /** `none`: no wheels; `incompatible`: none the target accepts; `forbidden`: binaries disabled. */
  readonly wheels: 'none' | 'incompatible' | 'forbidden';
  /** `none`: no sdist; `forbidden`: building from source disabled. */
  readonly sdist: 'none' | 'forbidden';
  /** The target platform, for the wording. */
  readonly target: string;
}

/** Why releases (or a candidate's dependencies) cannot be used; worded by `python-vocabulary.ts`. */
export type UnavailableReason =
  | { readonly kind: 'requires-python'; readonly specifier: string; readonly python: string }
  | { readonly kind: 'files'; readonly problem: FileProblem }
  | { readonly kind: 'yanked'; readonly reason: string | null }
  | { readonly kind: 'metadata'; readonly message: string }
  | { readonly kind: 'self-dependency'; readonly requirement: string }
  | { readonly kind: 'url-requirement'; readonly requirement: string };

/** Project names (normalized) a file rule applies to, or `true` for every project. */
export type ProjectSelector = boolean | ReadonlySet<string>;

/** Everything availability depends on besides the release itself. */
export interface AvailabilityContext {
  readonly target: Target;
  readonly tagPriority: TagPriority;
  readonly noBinary: ProjectSelector;
  readonly noBuild: ProjectSelector;
  /** Exact versions first-party requirements pin, by project: the yanked releases allowed. */
  readonly pinned: ReadonlyMap<string, readonly Version[]>;
}

/** Whether `selector` covers `project`. */
export function selects(selector: ProjectSelector, project: string): boolean {
  return typeof selector === 'boolean' ? selector : selector.has(project);
}

/** The unavailable releases of `project`, grouped by reason. */
export function unavailableGroups(
  project: string,
  candidates: readonly Candidate[],
  context: AvailabilityContext,
): UnavailableGroup<UnavailableReason>[] {
  const groups = new Map<string, { reason: UnavailableReason; indexes: number[] }>();
  candidates.forEach((candidate, index) => {
    const reason = unavailableReason(project, candidate, context);
    if (reason === null) return;
    const key = JSON.stringify(reason);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { reason, indexes: [index] });
    else group.indexes.push(index);
  });
  return [...groups.values()].map(({ reason, indexes }) => ({ reason, set: VersionSet.of(candidates.length, indexes) }));
}

/** Why one release cannot be used, or null when it can. */
export function unavailableReason(project: string, candidate: Candidate, context: AvailabilityContext): UnavailableReason | null {
  const python = context.target.pythonFull;
  const requiresPython = candidate.requiresPython;
  if (requiresPython && !requiresPython.contains(python, { prereleases: true })) {
    return { kind: 'requires-python', specifier: requiresPython.toString(), python: context.target.python.toString() };
  }
  if (candidate.files) {
    const problem = fileProblem(project, candidate.files.wheels, candidate.files.sdist, context);
    if (problem !== null) return { kind: 'files', problem };
  }
  if (candidate.yanked) {
    const pins = context.pinned.get(project) ?? [];
    if (!pins.some((pin) => pin.equals(candidate.version))) {
      return { kind: 'yanked', reason: typeof candidate.yanked === 'string' && candidate.yanked !== '' ? candidate.yanked : null };
    }
  }
  return null;
}

function fileProblem(project: string, wheels: readonly string[], sdist: boolean, context: AvailabilityContext): FileProblem | null {
  let wheelState: FileProblem['wheels'] | 'ok';
  if (wheels.length === 0) wheelState = 'none';
  else if (selects(context.noBinary, project)) wheelState = 'forbidden';
  else wheelState = wheels.some((w) => wheelFits(w, context.tagPriority)) ? 'ok' : 'incompatible';
  const sdistState = !sdist ? 'none' : selects(context.noBuild, project) ? 'forbidden' : 'ok';
  if (wheelState === 'ok' || sdistState === 'ok') return null;
  return { wheels: wheelState, sdist: sdistState, target: context.target.name };
}

function wheelFits(filename: string, priority: TagPriority): boolean {
  try {
    return priority.bestRank(parseWheelFilename(filename).tags) !== null;
  } catch {
    // A wheel whose name we cannot read is not one we would install.
    return false;
  }
}
