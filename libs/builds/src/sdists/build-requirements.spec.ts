import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { buildRequirementsOf, LEGACY_BUILD_REQUIREMENTS, readBuildRequirements, UnreadableSdistError } from './build-requirements';

/** A tar(.gz) of `files` (path → text). */
async function archive(files: Record<string, string>, gzip: boolean): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return gzip ? gzipSync(bytes) : bytes;
}

describe('readBuildRequirements', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'sdist-reqs-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = async (filename: string, files: Record<string, string>, gzip = true) => {
    const path = join(dir, filename);
    writeFileSync(path, await archive(files, gzip));
    return path;
  };

  it("reads [build-system] requires of the root's pyproject.toml, not a nested one", async () => {
    const path = await write('demo-1.0.tar.gz', {
      'demo-1.0/vendor/x/pyproject.toml': '[build-system]\nrequires = ["nested"]\n',
      'demo-1.0/pyproject.toml': '[build-system]\nrequires = ["flit_core >=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n',
      'demo-1.0/PKG-INFO': 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n',
    });
    expect(await readBuildRequirements(path, 'demo-1.0.tar.gz')).toEqual(['flit_core >=3.2,<4']);
  });

  it("falls back to pip's legacy requirements without pyproject.toml or [build-system], and reads plain .tar", async () => {
    expect(await readBuildRequirements(await write('old-1.0.tar.gz', { 'old-1.0/setup.py': 'from setuptools import setup\nsetup()\n' }), 'old-1.0.tar.gz')).toEqual([...LEGACY_BUILD_REQUIREMENTS]);
    expect(await readBuildRequirements(await write('tool-1.0.tar', { 'tool-1.0/pyproject.toml': '[tool.black]\nline-length = 100\n' }, false), 'tool-1.0.tar')).toEqual([...LEGACY_BUILD_REQUIREMENTS]);
  });

  it("reads a .zip sdist's root pyproject.toml, and falls back without one", async () => {
    const zip = (name: string, files: Record<string, string>) => {
      const path = join(dir, name);
      const script = 'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    for n, t in json.loads(sys.argv[2]).items(): z.writestr(n, t)\n';
      execFileSync('python3', ['-c', script, path, JSON.stringify(files)]);
      return path;
    };
    const withToml = zip('z-1.0.zip', { 'z-1.0/pyproject.toml': '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'z-1.0/sub/pyproject.toml': '[build-system]\nrequires = ["nope"]\n' });
    expect(await readBuildRequirements(withToml, 'z-1.0.zip')).toEqual(['hatchling']);
    expect(await readBuildRequirements(zip('old-2.0.zip', { 'old-2.0/setup.py': 'from setuptools import setup\nsetup()\n' }), 'old-2.0.zip')).toEqual([...LEGACY_BUILD_REQUIREMENTS]);
  });

  it('gives a setuptools backend wheel as well, and nobody else', () => {
    expect(buildRequirementsOf({ 'build-system': { requires: ['setuptools>=61'], 'build-backend': 'setuptools.build_meta' } })).toEqual(['setuptools>=61', 'wheel']);
    expect(buildRequirementsOf({ 'build-system': { requires: ['setuptools>=61', 'Wheel'] } })).toEqual(['setuptools>=61', 'Wheel']);
    expect(buildRequirementsOf({ 'build-system': { requires: ['hatchling'], 'build-backend': 'hatchling.build' } })).toEqual(['hatchling']);
    expect(buildRequirementsOf({ 'build-system': { requires: [], 'build-backend': 'pypi_sim_backend' } })).toEqual([]);
    // Names compare as PEP 503 names, whatever their spelling, extras or markers.
    expect(buildRequirementsOf({ 'build-system': { requires: ['SetupTools[core] >= 61', 'Wheel ; python_version >= "3"'] } })).toEqual(['SetupTools[core] >= 61', 'Wheel ; python_version >= "3"']);
    expect(() => buildRequirementsOf({ 'build-system': { requires: ['setuptools >>= 61'] } }, 'x-1.0.tar.gz')).toThrow(/x-1.0.tar.gz: \[build-system\] requires: /);
  });

  it('refuses what it cannot read, naming the file and why', async () => {
    await expect(readBuildRequirements(join(dir, 'x.tar.bz2'), 'x-1.0.tar.bz2')).rejects.toThrow(/x-1.0.tar.bz2: only .tar.gz, .tar and .zip sdists/);
    const notZip = join(dir, 'nz-1.0.zip');
    writeFileSync(notZip, Buffer.from('PK but not a zip'));
    await expect(readBuildRequirements(notZip, 'nz-1.0.zip')).rejects.toThrow(/nz-1.0.zip: the archive cannot be read/);
    const broken = join(dir, 'broken-1.0.tar.gz');
    writeFileSync(broken, Buffer.from('not gzip at all'));
    await expect(readBuildRequirements(broken, 'broken-1.0.tar.gz')).rejects.toThrow(UnreadableSdistError);
    const badToml = await write('bad-1.0.tar.gz', { 'bad-1.0/pyproject.toml': '[build-system\nrequires = ' });
    await expect(readBuildRequirements(badToml, 'bad-1.0.tar.gz')).rejects.toThrow(/bad-1.0.tar.gz: pyproject.toml is not valid TOML/);
    const notList = await write('nl-1.0.tar.gz', { 'nl-1.0/pyproject.toml': '[build-system]\nrequires = "setuptools"\n' });
    await expect(readBuildRequirements(notList, 'nl-1.0.tar.gz')).rejects.toThrow(/requires is not a list of strings/);
  });
});
