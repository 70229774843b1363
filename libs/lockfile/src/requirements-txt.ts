/**
 * A pinned requirements.txt in pip-compile's layout: `name[extras]==version`, one `--hash` per
 * file (so `pip install --require-hashes` accepts any file it picks for the target), and
 * `# via` lines naming who requires each pin.
 */
import type { Lock } from './lock';

export function renderRequirementsTxt(lock: Lock): string {
  const lines = [`# Resolved by venvfarm for Python ${lock.python} on ${lock.platform}.`];
  for (const pkg of lock.packages) {
    const extras = pkg.extras.length > 0 ? `[${pkg.extras.join(',')}]` : '';
    const hashes = [...new Set(pkg.files.map((f) => f.sha256).filter((h): h is string => h !== null))].sort();
    const head = `${pkg.name}${extras}==${pkg.version}`;
    lines.push(hashes.length === 0 ? head : `${head} \\`);
    hashes.forEach((hash, i) => lines.push(`    --hash=sha256:${hash}${i < hashes.length - 1 ? ' \\' : ''}`));
    if (pkg.requiredBy.length === 1) lines.push(`    # via ${pkg.requiredBy[0]}`);
    else if (pkg.requiredBy.length > 1) lines.push('    # via', ...pkg.requiredBy.map((by) => `    #   ${by}`));
  }
  return `${lines.join('\n')}\n`;
}
