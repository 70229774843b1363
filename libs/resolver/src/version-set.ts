/**
 * A PubGrub version set as an exact set over one package's known candidates.
 *
 * The resolver lists every release of a project once, sorts it oldest first, and from then on a
 * version is just its index in that list. A set of versions is a bitset over the indexes, so
 * union, intersection and complement are exact and cheap, and all the PEP 440 oddities
 * (pre-releases, local labels, post releases, `===`) are settled once, when a specifier is turned
 * into a set (see `python-universe.ts`). The complement is taken within the known candidates:
 * versions the index never listed cannot be chosen, so they need no representation.
 *
 * A set may carry a `label`, the specifier text it was made from (`>=2.0`, `` for "any"), so an
 * explanation can quote what the user wrote. Operations whose result is a new set drop the label;
 * an operation that returns one of its operands unchanged returns that operand, label included.
 */

/** An immutable set of candidate indexes `0 … size-1` of one package. */
export class VersionSet {
  private constructor(
    /** How many candidates the package has (the universe of this set). */
    readonly size: number,
    private readonly words: Uint32Array,
    /** The specifier text this set came from, when it came straight from one. */
    readonly label?: string,
  ) {}

  /** The set with no candidate. */
  static empty(size: number): VersionSet {
    return new VersionSet(size, new Uint32Array(wordCount(size)));
  }

  /** The set of every candidate. */
  static full(size: number): VersionSet {
    const words = new Uint32Array(wordCount(size)).fill(0xffffffff);
    maskTail(words, size);
    return new VersionSet(size, words);
  }

  /** The set holding only candidate `index`. */
  static singleton(size: number, index: number): VersionSet {
    const words = new Uint32Array(wordCount(size));
    words[index >>> 5] = 1 << (index & 31);
    return new VersionSet(size, words);
  }

  /** The set of candidates for which `predicate` holds. */
  static fromPredicate(size: number, predicate: (index: number) => boolean): VersionSet {
    const words = new Uint32Array(wordCount(size));
    for (let i = 0; i < size; i++) if (predicate(i)) words[i >>> 5] |= 1 << (i & 31);
    return new VersionSet(size, words);
  }

  /** The set of the given candidate indexes. */
  static of(size: number, indexes: Iterable<number>): VersionSet {
    const words = new Uint32Array(wordCount(size));
    for (const i of indexes) {
      if (i < 0 || i >= size) throw new RangeError(`Candidate index ${i} outside 0..${size - 1}`);
      words[i >>> 5] |= 1 << (i & 31);
    }
    return new VersionSet(size, words);
  }

  /** This set with a display label (the specifier text it stands for). */
  withLabel(label: string | undefined): VersionSet {
    return label === this.label ? this : new VersionSet(this.size, this.words, label);
  }

  /** Whether candidate `index` is in the set. */
  has(index: number): boolean {
    return index >= 0 && index < this.size && (this.words[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  get isEmpty(): boolean {
    for (let w = 0; w < this.words.length; w++) if (this.words[w] !== 0) return false;
    return true;
  }

  get isFull(): boolean {
    return this.count === this.size;
  }

  /** The number of candidates in the set. */
  get count(): number {
    let n = 0;
    for (let w = 0; w < this.words.length; w++) n += popcount(this.words[w]);
    return n;
  }

  /** The highest (newest) index in the set, or -1 when empty. */
  get highest(): number {
    for (let w = this.words.length - 1; w >= 0; w--) {
      const word = this.words[w];
      if (word !== 0) return w * 32 + 31 - Math.clz32(word);
    }
    return -1;
  }

  /** The lowest (oldest) index in the set, or -1 when empty. */
  get lowest(): number {
    for (let w = 0; w < this.words.length; w++) {
      const word = this.words[w];
      if (word !== 0) return w * 32 + 31 - Math.clz32(word & -word);
    }
    return -1;
  }

  /** The indexes in the set, oldest first. */
  *indexes(): IterableIterator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w];
      while (word !== 0) {
        const low = word & -word;
        yield w * 32 + 31 - Math.clz32(low);
        word ^= low;
      }
    }
  }

  /** Same candidates (labels are ignored). */
  equals(other: VersionSet): boolean {
    this.check(other);
    for (let w = 0; w < this.words.length; w++) if (this.words[w] !== other.words[w]) return false;
    return true;
  }

  isSubsetOf(other: VersionSet): boolean {
    this.check(other);
    for (let w = 0; w < this.words.length; w++) if ((this.words[w] & ~other.words[w]) !== 0) return false;
    return true;
  }

  isDisjointFrom(other: VersionSet): boolean {
    this.check(other);
    for (let w = 0; w < this.words.length; w++) if ((this.words[w] & other.words[w]) !== 0) return false;
    return true;
  }

  intersect(other: VersionSet): VersionSet {
    if (this.isSubsetOf(other)) return this;
    if (other.isSubsetOf(this)) return other;
    return this.combine(other, (a, b) => a & b);
  }

  union(other: VersionSet): VersionSet {
    if (other.isSubsetOf(this)) return this;
    if (this.isSubsetOf(other)) return other;
    return this.combine(other, (a, b) => a | b);
  }

  /** The candidates in this set and not in `other`. */
  minus(other: VersionSet): VersionSet {
    if (this.isDisjointFrom(other)) return this;
    return this.combine(other, (a, b) => a & ~b);
  }

  /** The known candidates not in this set. */
  complement(): VersionSet {
    const words = new Uint32Array(this.words.length);
    for (let w = 0; w < words.length; w++) words[w] = ~this.words[w];
    maskTail(words, this.size);
    return new VersionSet(this.size, words);
  }

  /** Debug form: `{0,3,4}/7`. */
  toString(): string {
    return `{${[...this.indexes()].join(',')}}/${this.size}`;
  }

  private combine(other: VersionSet, op: (a: number, b: number) => number): VersionSet {
    const words = new Uint32Array(this.words.length);
    for (let w = 0; w < words.length; w++) words[w] = op(this.words[w], other.words[w]);
    return new VersionSet(this.size, words);
  }

  private check(other: VersionSet): void {
    if (other.size !== this.size) {
      throw new RangeError(`Version sets over different candidate lists (${this.size} vs ${other.size})`);
    }
  }
}

function wordCount(size: number): number {
  return (size + 31) >>> 5;
}

/** Clears the bits above `size` in the last word, so complement and equality stay exact. */
function maskTail(words: Uint32Array, size: number): void {
  const rest = size & 31;
  if (rest !== 0) words[words.length - 1] &= (1 << rest) - 1;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
