/**
 * Project and extra names compared the PEP 503 way ("Normalized Names"; PEP 685 applies the
 * same rule to extras): lower-cased, every run of `-`, `_` and `.` collapsed to one `-`.
 * So `Foo.Bar__baz`, `foo-bar-baz` and `FOO_BAR.BAZ` are one project.
 */

const SEPARATOR_RUN = /[-_.]+/g;
const NORMALIZED = /^[a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The PEP 503 normalized form of a project or extra name. */
export function normalizeName(name: string): string {
  // Most names arrive already normalized; answering them unchanged avoids two allocations.
  if (NORMALIZED.test(name)) return name;
  return name.replace(SEPARATOR_RUN, '-').toLowerCase();
}
