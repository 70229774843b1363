/**
 * Ranking wheels for a target: the rank of a tag is its index in {@link supportedTags}
 * (0 = best), and a wheel ranks as its best-ranked tag, as packaging's
 * `create_compatible_tags_selector` and pip's `Wheel.support_index_min` do.
 *
 * Surprises worth knowing:
 * - A compressed tag set is judged by its best member only; `py2.py3-none-any` ranks as
 *   `py3-none-any`.
 * - Lower is better, and `null` means "not installable here" — never rank 0.
 */
import type { Target } from '@venvfarm/pep508';
import { supportedTags, TagTarget } from './supported-tags';
import { formatTag, parseTag } from './tags';

// Compile-time guard: pep508's Target must stay usable wherever a TagTarget is expected.
type Assert<T extends true> = T;
type _TargetIsTagTarget = Assert<Target extends TagTarget ? true : false>;

/** How many targets' rankings {@link TagPriority.forTarget} keeps (each lists hundreds of tags). */
const KEPT_TARGETS = 16;
const byTarget = new Map<string, TagPriority>();

/** Ranks tags and wheels for one target; build once per target and reuse (lookups are O(1)). */
export class TagPriority {
  /** The ranking of a target, shared: the most recently used few are kept (the oldest goes first). */
  static forTarget(target: Target): TagPriority {
    const key = `${target.implementation} ${target.python.toString()} ${target.name}`;
    let priority = byTarget.get(key);
    if (priority === undefined) {
      if (byTarget.size >= KEPT_TARGETS) byTarget.delete(byTarget.keys().next().value as string);
      priority = new TagPriority(target);
    } else {
      byTarget.delete(key);
    }
    byTarget.set(key, priority);
    return priority;
  }

  /** The supported tags, best first. */
  readonly tags: readonly string[];
  private readonly ranks = new Map<string, number>();

  constructor(target: Target | TagTarget) {
    this.tags = supportedTags(target);
    this.tags.forEach((tag, index) => this.ranks.set(tag, index));
  }

  /**
   * Rank of one tag (`cp311-abi3-manylinux_2_17_x86_64`): 0 is best, `null` unsupported. A
   * compressed set (`py2.py3-none-any`) ranks as its best member; a malformed tag is unsupported.
   */
  rank(tag: string): number | null {
    const rank = this.ranks.get(tag.toLowerCase());
    if (rank !== undefined) return rank;
    // `.` never occurs in an expanded tag, so only then is expansion worth trying.
    if (!tag.includes('.')) return null;
    let members: string[];
    try {
      members = parseTag(tag).map(formatTag);
    } catch {
      return null;
    }
    return this.bestRank(members);
  }

  /** Best (lowest) rank among a wheel's expanded tags, or `null` when none is supported. */
  bestRank(wheelFilenameTags: readonly string[]): number | null {
    let best: number | null = null;
    for (const tag of wheelFilenameTags) {
      const rank = this.rank(tag);
      if (rank !== null && (best === null || rank < best)) best = rank;
    }
    return best;
  }

  /** True when the target can install a wheel with these expanded tags. */
  isCompatible(wheelFilenameTags: readonly string[]): boolean {
    return this.bestRank(wheelFilenameTags) !== null;
  }
}
