/** Lock formats of a pinned set: requirements.txt with hashes and PEP 751 pylock.toml. Pure. */
export type { Lock, LockedFile, LockedPackage } from './lock';
export { renderRequirementsTxt } from './requirements-txt';
export { renderPylock } from './pylock';
export { InvalidLockError, parseLock } from './parse-lock';
export type { LockedRequirement, ParsedLock } from './parse-lock';
