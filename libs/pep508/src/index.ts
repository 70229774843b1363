/**
 * PEP 508: dependency specifiers (requirements), environment markers and their evaluation, and
 * named targets (an interpreter on a platform, with its marker environment). Parsing follows
 * pypa/packaging, including its error messages and positions.
 */
export { drawSpan, InvalidMarkerError, InvalidProjectNameError, InvalidRequirementError, InvalidTargetError, Pep508Error } from './errors';
export type { Span } from './errors';
export { asProjectName, MAX_PROJECT_NAME_LENGTH, normalizeName, parseProjectName } from './name';
export type { ProjectName } from './name';
export { parseRequirement, Requirement } from './requirement';
export { Marker, parseMarker } from './marker';
export { formatMarker, quoteMarkerValue } from './marker-ast';
export type { MarkerComparison, MarkerJunction, MarkerNode, MarkerOperand, MarkerOperator, MarkerVariable } from './marker-ast';
export { MARKER_ENVIRONMENT_KEYS } from './environment';
export type { MarkerEnvironment } from './environment';
export { parsePlatform, PLATFORM_EXAMPLES } from './platform';
export type { NamedPlatform, Platform } from './platform';
export { parseTarget } from './target';
export type { Implementation, Target, TargetSpec } from './target';
export { InvalidRequirementsTxtError, logicalLines, parseRequirementsTxt } from './requirements-txt';
export type { LogicalLine, RequirementsTxt, RequirementsTxtEntry } from './requirements-txt';
