/**
 * Wheels and their compatibility: distribution filenames (wheel and sdist), compatibility tags,
 * the tags a target interpreter and platform accept, and the rank of a wheel for a target.
 */
export { InvalidFilenameError, InvalidTagError, UnsupportedFilenameError, WheelLibraryError } from './errors';
export {
  parseDistributionFilename,
  parseSdistFilename,
  parseWheelFilename,
  SDIST_FORMATS,
  sdistFormatOf,
} from './filename';
export type { DistributionFilename, SdistFilename, SdistFormat, WheelFilename } from './filename';
export { expandTagSet, formatTag, parseTag } from './tags';
export type { Tag } from './tags';
export {
  DEFAULT_GLIBC,
  DEFAULT_MACOS,
  linuxPlatforms,
  macPlatforms,
  manylinuxPlatforms,
  musllinuxPlatforms,
  platformTags,
  windowsPlatforms,
} from './platform-tags';
export type { TagPlatform } from './platform-tags';
export { supportedTags } from './supported-tags';
export type { TagTarget } from './supported-tags';
export { TagPriority } from './target-priority';
