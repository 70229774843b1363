/**
 * A PubGrub resolver for Python requirements: a generic solver core (terms, incompatibilities,
 * partial solution, conflict-driven backtracking, derivation trees and their wording) and the
 * Python glue (provider contract, extras as proxy packages, markers, Requires-Python, files,
 * yanks, pre-release policy).
 */
export { resolve, UnsatisfiableError } from './resolve';
export type { Resolution, ResolvedPackage, ResolveOptions } from './resolve';
export type { Candidate, CandidateFiles, CandidateList, MetadataUnavailable, Provider, ReleaseMetadata } from './provider';
export { InMemoryProvider, guardWithExtra } from './in-memory-provider';
export type { InMemoryIndex, InMemoryRelease } from './in-memory-provider';
export { applyPrereleasePolicy, DEFAULT_PRERELEASE_POLICY, PRERELEASE_POLICIES } from './prerelease-policy';
export type { PrereleaseFacts, PrereleasePolicy } from './prerelease-policy';
export type { FileProblem, UnavailableReason } from './availability';
export { NoSolutionError, solve, SolveTimeoutError } from './solver';
export type { Dependency, DependenciesResult, MaybePromise, SolveLimits, SolverResult, SolverSource, SolveStats, UnavailableGroup } from './solver';
export { buildDerivationTree } from './derivation-tree';
export type { DerivationTree, DerivedNode, ExternalCause, ExternalNode } from './derivation-tree';
export { renderReport } from './report';
export type { ReportVocabulary } from './report';
export { Incompatibility } from './incompatibility';
export type { IncompatibilityCause, PackageId, PackageTerm } from './incompatibility';
export { Term } from './term';
export { VersionSet } from './version-set';
export { describeVersionSet } from './version-set-text';
