/**
 * A PEP 751 lock file (`pylock.toml`, lock-version 1.0) for one target: its `environments`
 * marker says where it applies, each package lists its wheels and sdist with URL and sha256.
 * A file without a URL cannot be installed from the lock and is left out.
 */
import { stringify } from 'smol-toml';
import type { Lock, LockedFile } from './lock';

interface PylockFile {
  name: string;
  url: string;
  hashes: { sha256?: string };
}

function fileEntry(file: LockedFile): PylockFile | null {
  if (file.url === null) return null;
  return { name: file.filename, url: file.url, hashes: file.sha256 === null ? {} : { sha256: file.sha256 } };
}

export function renderPylock(lock: Lock): string {
  const packages = lock.packages.map((pkg) => {
    const wheels = pkg.files.filter((f) => f.kind === 'wheel').map(fileEntry).filter((f): f is PylockFile => f !== null);
    const sdist = pkg.files.filter((f) => f.kind === 'sdist').map(fileEntry).find((f) => f !== null);
    return {
      name: pkg.name,
      version: pkg.version,
      ...(lock.indexUrl === null ? {} : { index: lock.indexUrl }),
      ...(sdist === undefined ? {} : { sdist }),
      ...(wheels.length === 0 ? {} : { wheels }),
    };
  });
  return stringify({
    'lock-version': '1.0',
    environments: [lock.environment],
    'requires-python': `==${lock.python}.*`.replace(/^(==\d+\.\d+)\.\d+\.\*$/, '$1.*'),
    'created-by': 'venvfarm',
    packages,
  });
}
