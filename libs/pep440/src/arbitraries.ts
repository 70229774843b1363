/**
 * fast-check generators of PEP 440 versions and specifiers, shared by this library's property
 * tests (and by other libraries' tests that need realistic versions).
 */
import fc from 'fast-check';

const small = fc.oneof(fc.constantFrom(0, 1, 2, 10), fc.nat({ max: 300 }));

/** Release segments that collide often, so equal and near-equal versions are common. */
export const releaseArb = fc.array(small, { minLength: 1, maxLength: 4 }).map((r) => r.join('.'));

/** Normalized-or-not version strings covering every PEP 440 component. */
export const versionTextArb = fc
  .record({
    epoch: fc.option(fc.constantFrom(1, 2), { freq: 6 }),
    release: releaseArb,
    pre: fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc', 'alpha', 'c', 'PRE'), small), { freq: 2 }),
    post: fc.option(small, { freq: 3 }),
    dev: fc.option(small, { freq: 3 }),
    local: fc.option(fc.constantFrom('abc', '1', 'abc.1', '2', 'abd', '1.abc', 'ubuntu-1', '007'), { freq: 4 }),
  })
  .map(({ epoch, release, pre, post, dev, local }) => {
    let s = epoch === null ? '' : `${epoch}!`;
    s += release;
    if (pre) s += `${pre[0]}${pre[1]}`;
    if (post !== null) s += `.post${post}`;
    if (dev !== null) s += `.dev${dev}`;
    if (local !== null) s += `+${local}`;
    return s;
  });

const plainVersionArb = versionTextArb.map((v) => v.replace(/\+.*$/, ''));

/** Syntactically valid specifier clauses of every operator. */
export const specifierTextArb = fc.oneof(
  fc.tuple(fc.constantFrom('==', '!='), versionTextArb).map(([op, v]) => op + v),
  fc.tuple(fc.constantFrom('==', '!='), fc.option(fc.constantFrom('1!'), { freq: 5 }), releaseArb).map(
    ([op, e, r]) => `${op}${e ?? ''}${r}.*`,
  ),
  fc.tuple(fc.constantFrom('<', '<=', '>', '>='), plainVersionArb).map(([op, v]) => op + v),
  fc.tuple(releaseArb, small, fc.constantFrom('', 'a1', '.post1', '.dev0')).map(([r, n, s]) => `~=${r}.${n}${s}`),
  versionTextArb.map((v) => `===${v}`),
);
