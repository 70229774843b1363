/**
 * What an uploaded distribution says of itself: the core metadata in the archive (a wheel's
 * `<name>-<version>.dist-info/METADATA`, an sdist's `<base>/PKG-INFO`), checked against the
 * filename and the form fields, as PyPI checks them. The index serves these bytes as the file's
 * PEP 658 metadata.
 */
import { ArchiveMemberTooLargeError, archiveFormatOf, readArchiveMember } from '@venvfarm/artifacts';
import { Version } from '@venvfarm/pep440';
import { normalizeName } from '@venvfarm/pep508';
import { CoreMetadata, parseCoreMetadata, UpstreamError } from '@venvfarm/upstream';
import { DistributionFilename, parseDistributionFilename } from '@venvfarm/wheel';
import type { UploadFields } from './read-upload';
import { InvalidUploadError } from './upload-errors';

/** Core metadata files are small; a larger one is refused rather than read. */
const LARGEST_METADATA = 4 << 20;

/** A distribution whose name, version and metadata agree. */
export interface CheckedDistribution {
  readonly file: DistributionFilename;
  readonly metadata: CoreMetadata;
  /** The metadata file's bytes, served as `<filename>.metadata`. */
  readonly metadataBytes: Buffer;
}

const one = (fields: UploadFields, name: string): string | undefined => fields.get(name)?.[0];

/**
 * Reads and checks an uploaded file at `path` named `filename`.
 * @throws InvalidUploadError naming the field that disagrees.
 */
export async function checkDistribution(path: string, filename: string, fields: UploadFields, sha256: string): Promise<CheckedDistribution> {
  const action = one(fields, ':action');
  if (action !== undefined && action !== 'file_upload') throw new InvalidUploadError(`:action must be file_upload, not ${action}`, ':action');
  let file: DistributionFilename;
  try {
    file = parseDistributionFilename(filename);
  } catch (error) {
    throw new InvalidUploadError(`${filename} is not the name of a wheel or an sdist: ${(error as Error).message.split('\n')[0]}`, 'content');
  }
  const digest = one(fields, 'sha256_digest');
  if (digest !== undefined && digest.toLowerCase() !== sha256) throw new InvalidUploadError(`sha256_digest ${digest} is not the sha256 of the file sent (${sha256}): the upload was damaged`, 'sha256_digest');
  const filetype = one(fields, 'filetype');
  if (filetype !== undefined && filetype !== (file.kind === 'wheel' ? 'bdist_wheel' : 'sdist')) throw new InvalidUploadError(`filetype ${filetype} does not fit ${filename}`, 'filetype');

  const format = archiveFormatOf(filename);
  if (format === null) throw new InvalidUploadError(`${filename}: this archive format is not accepted`, 'content');
  const wanted = file.kind === 'wheel' ? isWheelMetadata : isSdistPkgInfo;
  let member;
  try {
    member = await readArchiveMember(path, format, wanted, LARGEST_METADATA);
  } catch (error) {
    if (error instanceof ArchiveMemberTooLargeError) throw new InvalidUploadError(`${filename}: ${error.message}`, 'content');
    throw new InvalidUploadError(`${filename} is not a readable ${format} archive: ${(error as Error).message}`, 'content');
  }
  if (member === null) throw new InvalidUploadError(`${filename} has no ${file.kind === 'wheel' ? '*.dist-info/METADATA' : 'PKG-INFO'} at its root`, 'content');
  let metadata: CoreMetadata;
  try {
    metadata = parseCoreMetadata(member.bytes, member.name);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    throw new InvalidUploadError(`${filename}: ${member.name} is not core metadata (no Metadata-Version or Name)`, 'content');
  }

  const metadataName = normalizeName(metadata.name);
  if (metadataName !== file.name) throw new InvalidUploadError(`${filename} names project ${file.name}, but its metadata says ${metadata.name}`, 'content');
  if (metadata.version === null || !sameVersion(metadata.version, file.version)) {
    throw new InvalidUploadError(`${filename} is version ${file.version}, but its metadata says ${metadata.version ?? 'none'}`, 'content');
  }
  const formName = one(fields, 'name');
  if (formName !== undefined && normalizeName(formName) !== metadataName) throw new InvalidUploadError(`the form's name ${formName} is not the file's project ${metadata.name}`, 'name');
  const formVersion = one(fields, 'version');
  if (formVersion !== undefined && !sameVersion(formVersion, file.version)) throw new InvalidUploadError(`the form's version ${formVersion} is not the file's ${file.version}`, 'version');
  return { file, metadata, metadataBytes: member.bytes };
}

/** `<name>-<version>.dist-info/METADATA` at the root of a wheel. */
function isWheelMetadata(name: string): boolean {
  const parts = name.split('/');
  return parts.length === 2 && parts[0].endsWith('.dist-info') && parts[1] === 'METADATA';
}

/** `<base>/PKG-INFO` at the root of an sdist (not a vendored project's deeper down). */
function isSdistPkgInfo(name: string): boolean {
  const parts = name.replace(/^\.\//, '').split('/');
  return parts.length === 2 && parts[1] === 'PKG-INFO';
}

function sameVersion(a: string, b: string): boolean {
  try {
    return Version.parse(a).compare(Version.parse(b)) === 0;
  } catch {
    return a === b;
  }
}
