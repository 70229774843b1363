/**
 * Compatibility tags (PEP 425, "Platform compatibility tags" spec): `python-abi-platform`
 * triples such as `cp311-cp311-manylinux_2_17_x86_64`.
 *
 * Surprises worth knowing:
 * - A filename may carry a *compressed tag set*: each of the three parts is a `.`-separated
 *   list, and the wheel supports every combination (`py2.py3-none-any` is two tags). Expansion
 *   order follows the filename (python, then abi, then platform), duplicates dropped.
 * - Tags compare case-insensitively; packaging lower-cases them, and so does this module.
 * - PEP 425 asks for sorted components but packaging only checks that on request, and real
 *   uploads do not always comply, so order is not validated here.
 */
import { InvalidTagError } from './errors';

/** One (python, abi, platform) triple, lower-case. */
export interface Tag {
  readonly interpreter: string;
  readonly abi: string;
  readonly platform: string;
}

/** Characters a single tag component may hold (`-` separates parts, `.` compresses sets). */
const COMPONENT_CHAR = /[A-Za-z0-9_]/;

/** `cp311-cp311-linux_x86_64` form of a tag. */
export function formatTag(tag: Tag): string {
  return `${tag.interpreter}-${tag.abi}-${tag.platform}`;
}

/**
 * Splits one compressed part (`py2.py3`) into its lower-case members, or reports the offset
 * (within `part`) of the first character that cannot belong to a tag, or of an empty member.
 */
export function splitCompressedPart(part: string): { members: string[] } | { offset: number; reason: string } {
  const members: string[] = [];
  let start = 0;
  for (let i = 0; i <= part.length; i++) {
    if (i === part.length || part[i] === '.') {
      if (i === start) return { offset: i, reason: 'empty tag component' };
      members.push(part.slice(start, i).toLowerCase());
      start = i + 1;
    } else if (!COMPONENT_CHAR.test(part[i])) {
      return { offset: i, reason: `unexpected character ${JSON.stringify(part[i])} in tag` };
    }
  }
  return { members: [...new Set(members)] };
}

/** Every combination of a compressed tag set, in filename order, as `py3-none-any` strings. */
export function expandTagSet(
  pythonTags: readonly string[],
  abiTags: readonly string[],
  platformTags: readonly string[],
): string[] {
  const tags: string[] = [];
  for (const interpreter of pythonTags) {
    for (const abi of abiTags) {
      for (const platform of platformTags) tags.push(formatTag({ interpreter, abi, platform }));
    }
  }
  return tags;
}

/**
 * Parses a tag, possibly a compressed set (`py2.py3-none-any`), into its expanded triples,
 * like packaging's `parse_tag`.
 * @throws InvalidTagError when there are not exactly three parts or a component is malformed.
 */
export function parseTag(text: string): Tag[] {
  const parts = text.split('-');
  if (parts.length !== 3) {
    const position = parts.length < 3 ? text.length : parts[0].length + parts[1].length + parts[2].length + 2;
    throw new InvalidTagError('a tag has exactly three parts: python-abi-platform', text, position);
  }
  const split: string[][] = [];
  let offset = 0;
  for (const part of parts) {
    const result = splitCompressedPart(part);
    if ('offset' in result) throw new InvalidTagError(result.reason, text, offset + result.offset);
    split.push(result.members);
    offset += part.length + 1;
  }
  const tags: Tag[] = [];
  for (const interpreter of split[0]) {
    for (const abi of split[1]) {
      for (const platform of split[2]) tags.push({ interpreter, abi, platform });
    }
  }
  return tags;
}
