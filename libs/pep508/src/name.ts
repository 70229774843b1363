/**
 * Project and extra names compared the PEP 503 way ("Normalized Names"; PEP 685 applies the
 * same rule to extras): lower-cased, every run of `-`, `_` and `.` collapsed to one `-`.
 * So `Foo.Bar__baz`, `foo-bar-baz` and `FOO_BAR.BAZ` are one project.
 *
 * A {@link ProjectName} is a name that passed PEP 508's name syntax and was normalized: code
 * that takes one needs neither to check nor to normalize it again.
 */
import { InvalidProjectNameError } from './errors';

const SEPARATOR_RUN = /[-_.]+/g;
const NORMALIZED = /^[a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The PEP 503 normalized form of a project or extra name. */
export function normalizeName(name: string): string {
  // Most names arrive already normalized; answering them unchanged avoids two allocations.
  if (NORMALIZED.test(name)) return name;
  return name.replace(SEPARATOR_RUN, '-').toLowerCase();
}

declare const projectNameBrand: unique symbol;

/** A valid PEP 508 project name in its PEP 503 normalized form (`zope-interface`). */
export type ProjectName = string & { readonly [projectNameBrand]: true };

/**
 * The longest project name accepted. PyPI has no documented limit; its longest names are under
 * 100 characters, so 200 leaves room without letting a name be a payload.
 */
export const MAX_PROJECT_NAME_LENGTH = 200;

/** PEP 508 `identifier`: letters and digits at both ends, `-_.` allowed inside. */
const ALNUM = /[A-Za-z0-9]/;
const INNER = /[A-Za-z0-9._-]/;

/**
 * Checks PEP 508's name syntax and normalizes (PEP 503).
 * @throws InvalidProjectNameError naming the first character that is not allowed
 */
export function parseProjectName(text: string): ProjectName {
  if (text.length === 0) throw new InvalidProjectNameError('Expected a project name', text, { start: 0, end: 0 });
  if (text.length > MAX_PROJECT_NAME_LENGTH) {
    throw new InvalidProjectNameError(`A project name has at most ${MAX_PROJECT_NAME_LENGTH} characters`, text, { start: MAX_PROJECT_NAME_LENGTH, end: MAX_PROJECT_NAME_LENGTH });
  }
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text[i];
    const ok = i === 0 || i === last ? ALNUM.test(c) : INNER.test(c);
    if (!ok) {
      const where = i === 0 ? 'start with' : i === last ? 'end with' : 'contain';
      throw new InvalidProjectNameError(`A project name may not ${where} ${JSON.stringify(c)}; it is letters, digits and -_. inside`, text, { start: i, end: i });
    }
  }
  return normalizeName(text) as ProjectName;
}

/**
 * Marks a name that PEP 508's grammar already accepted (the name of a parsed requirement, a name
 * read back from the mirror) as a {@link ProjectName}, normalizing it.
 */
export function asProjectName(validName: string): ProjectName {
  return normalizeName(validName) as ProjectName;
}
