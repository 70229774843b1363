/**
 * PEP 440: versions, specifiers, specifier sets, and sortable binary keys with key ranges so a
 * database can filter versions with indexed range predicates.
 */
export { caretLine, InputError, InvalidSpecifierError, InvalidVersionError, Pep440Error } from './errors';
export { compareInt, compareVersions, parseInt440, Version } from './version';
export type { Int, LocalSegment, PreRelease } from './version';
export { sameBase, Specifier } from './specifier';
export type { ContainsOptions, Operator } from './specifier';
export { SpecifierSet } from './specifier-set';
export { compareKeys, keyToHex, prefixSuccessor, versionKey } from './version-key';
export {
  complementRanges,
  intersectRanges,
  keyInRanges,
  keyRangesOf,
  keyRangesOfSet,
  keyRangesOfSpecifier,
} from './key-range';
export type { KeyRange, KeyRanges } from './key-range';
