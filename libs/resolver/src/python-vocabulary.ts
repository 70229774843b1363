/**
 * The words of Python explanations: package names with PEP 440-looking ranges, why a release is
 * unavailable ("a==2.0 requires Python >=3.13, but the target is 3.11"), and why nothing matches
 * ("there is no version of b>=2", "c was not found in the package registry"), with a hint when
 * only pre-releases were left out.
 */
import { SpecifierSet } from '@venvfarm/pep440';
import type { FileProblem, UnavailableReason } from './availability';
import type { PackageId } from './incompatibility';
import { PythonUniverse } from './python-universe';
import type { ReportVocabulary } from './report';
import { VersionSet } from './version-set';
import { describeVersionSet } from './version-set-text';

/** {@link ReportVocabulary} for Python packages. */
export class PythonVocabulary implements ReportVocabulary<UnavailableReason> {
  readonly root: PackageId;

  constructor(private readonly universe: PythonUniverse) {
    this.root = universe.root;
  }

  setText(pkg: PackageId, set: VersionSet): string {
    const info = this.universe.package(pkg);
    if (info.project === null) return 'your requirements';
    return describeVersionSet(info.display, info.project.versions, set);
  }

  noVersionsText(pkg: PackageId, set: VersionSet): string {
    const info = this.universe.package(pkg);
    const project = info.project;
    if (project === null) return 'your requirements cannot be met';
    if (project.missing) return `${project.name} was not found in the package registry`;
    if (project.versions.length === 0) return `there are no versions of ${project.name}`;
    if (set.isFull) return `there are no usable versions of ${info.display}`;
    if (set.label === undefined && set.isEmpty) return `there is no version of ${info.display} that satisfies all its requirements`;
    return `there is no version of ${this.setText(pkg, set)}${this.prereleaseHint(pkg, set)}`;
  }

  unavailableText(pkg: PackageId, set: VersionSet, reason: UnavailableReason): string {
    if (pkg === this.root && reason.kind === 'url-requirement') {
      return `you require ${reason.requirement}, a direct URL requirement, which is not supported`;
    }
    const subject = this.setText(pkg, set);
    switch (reason.kind) {
      case 'requires-python':
        return `${subject} requires Python ${reason.specifier} (the target is ${reason.python})`;
      case 'files':
        return `${subject} ${fileProblemText(reason.problem)}`;
      case 'yanked':
        return `${subject} was yanked${reason.reason === null ? '' : ` (reason: ${reason.reason})`}`;
      case 'metadata':
        return `the metadata of ${subject} cannot be used: ${reason.message}`;
      case 'self-dependency':
        return `${subject} depends on itself at another version (${reason.requirement})`;
      case 'url-requirement':
        return `${subject} has a direct URL requirement (${reason.requirement}), which is not supported`;
    }
  }

  /** " (pre-releases such as 1.0a1 match, but are not allowed here)" when that is why. */
  private prereleaseHint(pkg: PackageId, set: VersionSet): string {
    const project = this.universe.package(pkg).project;
    if (project === null || set.label === undefined) return '';
    let specifier: SpecifierSet;
    try {
      specifier = SpecifierSet.parse(set.label);
    } catch {
      return '';
    }
    const excluded = [...project.prerelease.prereleases.minus(set).indexes()].filter((i) =>
      specifier.contains(project.versions[i], { prereleases: true }),
    );
    if (excluded.length === 0) return '';
    const example = project.versions[excluded[excluded.length - 1]].toString();
    return ` (the pre-release ${project.name}==${example} matches, but pre-releases are not allowed here)`;
  }
}

function fileProblemText(problem: FileProblem): string {
  const { wheels, sdist, target } = problem;
  if (wheels === 'none' && sdist === 'none') return 'has no files';
  if (wheels === 'incompatible' && sdist === 'none') return `has no wheel compatible with ${target} and no source distribution`;
  if (wheels === 'incompatible') return `has no wheel compatible with ${target} (and no-build forbids building its source distribution)`;
  if (wheels === 'none') return 'has only a source distribution (and no-build forbids building it)';
  if (sdist === 'none') return 'has only wheels (and no-binary forbids using them)';
  return 'cannot be installed (no-binary and no-build forbid all its files)';
}
