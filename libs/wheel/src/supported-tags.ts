/**
 * The ordered list of tags a target interpreter accepts, best first — what
 * `packaging.tags.sys_tags()` would print if run on the target (PEP 425 "Use" section; PEP 384
 * for abi3).
 *
 * CPython `X.Y` (`cpython_tags` then `compatible_tags`), for each platform tag in turn:
 *   cpXY-cpXY-plat, cpXY-abi3-plat, cpXY-none-plat, cpX(Y-1)…cp32-abi3-plat,
 *   pyXY / pyX / pyX(Y-1)…pyX0 -none-plat, cpXY-none-any, pyXY / pyX / … -none-any.
 * PyPy (`generic_tags` then `compatible_tags`): ppXY-pypyXY_ppNN-plat, ppXY-none-plat, the
 *   same py…-none-plat run, pp3-none-any, py…-none-any.
 *
 * Surprises worth knowing:
 * - The interpreter outranks the platform, which outranks the ABI: any `cp311-…-manylinux`
 *   tag beats every `py3-none-any` tag, and abi3 wheels built for older CPythons rank after
 *   `cp311-none-*`.
 * - ABI flags follow a standard build: `m` (pymalloc) before 3.8, `u` (UCS-4) before 3.3 on
 *   Linux. Debug and free-threaded builds are not modelled; the target carries no such flag.
 * - A target asked for by major only (`3`) gets packaging's major-only behaviour: no ABI
 *   tags, `cp3-none-*`, `py3-none-*`.
 */
import type { Version } from '@venvfarm/pep440';
import { platformTags, TagPlatform } from './platform-tags';

/**
 * What tag generation needs of a target; pep508's `Target` satisfies it (checked in
 * target-priority.ts), and tests can build one without a marker environment.
 */
export interface TagTarget {
  /** The Python version as asked (`3.11`, `3.9.21`); only major and minor matter. */
  readonly python: Version;
  readonly implementation: 'cpython' | 'pypy';
  readonly platform: TagPlatform;
  /** For PyPy, `implementation_version` names the PyPy release behind the `ppNN` ABI suffix. */
  readonly markers?: { readonly implementation_version: string };
}

/** PyPy's ABI suffix when the target does not say which PyPy: every PyPy since 2020 is 7.3. */
const DEFAULT_PYPY_ABI = '73';

/** `[major]` or `[major, minor]` of the target's Python. */
function pythonVersionOf(target: TagTarget): number[] {
  const release = target.python.release.map((n) => Number(n));
  return release.length >= 2 ? release.slice(0, 2) : release.slice(0, 1);
}

/** `py311`, `py3`, `py310`, … `py30`: packaging's `_py_interpreter_range`. */
function pyInterpreterRange(version: number[]): string[] {
  const [major, minor] = version;
  const range: string[] = [];
  if (minor !== undefined) range.push(`py${major}${minor}`);
  range.push(`py${major}`);
  if (minor !== undefined) for (let m = minor - 1; m >= 0; m--) range.push(`py${major}${m}`);
  return range;
}

/** The ABI of a standard CPython build, as packaging's `_cpython_abis` (no debug build). */
function cpythonAbi(version: number[], os: TagPlatform['os']): string {
  const [major, minor] = version;
  const before = (mi: number) => major < 3 || (major === 3 && minor < mi);
  let flags = '';
  if (before(8)) {
    flags += 'm';
    // Wide (UCS-4) unicode was the Linux distributions' build; Windows and macOS were narrow.
    if (before(3) && os === 'linux') flags += 'u';
  }
  return `cp${major}${minor}${flags}`;
}

function cpythonTags(version: number[], platforms: readonly string[], os: TagPlatform['os']): string[] {
  const [major, minor] = version;
  const interpreter = `cp${version.join('')}`;
  const tags: string[] = [];
  const abi3 = minor !== undefined && (major > 3 || (major === 3 && minor >= 2));
  if (minor !== undefined) {
    const abi = cpythonAbi(version, os);
    for (const p of platforms) tags.push(`${interpreter}-${abi}-${p}`);
  }
  if (abi3) for (const p of platforms) tags.push(`${interpreter}-abi3-${p}`);
  for (const p of platforms) tags.push(`${interpreter}-none-${p}`);
  if (abi3) {
    for (let m = minor - 1; m > 1; m--) for (const p of platforms) tags.push(`cp${major}${m}-abi3-${p}`);
  }
  return tags;
}

function pypyAbiSuffix(target: TagTarget): string {
  const match = /^(\d+)\.(\d+)/.exec(target.markers?.implementation_version ?? '');
  // A marker environment built from the Python version (3.x) says nothing about PyPy's own.
  return match && Number(match[1]) >= 7 ? `${match[1]}${match[2]}` : DEFAULT_PYPY_ABI;
}

function pypyTags(target: TagTarget, version: number[], platforms: readonly string[]): string[] {
  const nodot = version.join('');
  const interpreter = `pp${nodot}`;
  const tags: string[] = [];
  for (const abi of [`pypy${nodot}_pp${pypyAbiSuffix(target)}`, 'none']) {
    for (const p of platforms) tags.push(`${interpreter}-${abi}-${p}`);
  }
  return tags;
}

function compatibleTags(version: number[], interpreter: string, platforms: readonly string[]): string[] {
  const range = pyInterpreterRange(version);
  const tags: string[] = [];
  for (const py of range) for (const p of platforms) tags.push(`${py}-none-${p}`);
  tags.push(`${interpreter}-none-any`);
  for (const py of range) tags.push(`${py}-none-any`);
  return tags;
}

/**
 * Every tag `target` accepts, best first, without duplicates: the order of packaging's
 * `sys_tags()` on that interpreter and platform.
 */
export function supportedTags(target: TagTarget): string[] {
  const version = pythonVersionOf(target);
  const platforms = platformTags(target.platform);
  const tags =
    target.implementation === 'pypy'
      ? [...pypyTags(target, version, platforms), ...compatibleTags(version, `pp${version[0]}`, platforms)]
      : [
          ...cpythonTags(version, platforms, target.platform.os),
          ...compatibleTags(version, `cp${version.join('')}`, platforms),
        ];
  return [...new Set(tags)];
}
