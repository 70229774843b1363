/**
 * Uploads to a private index, all or nothing: the token is checked, the form read, the file's
 * own metadata checked against its name and the form, and only then, under a lock on the
 * filename, is the file refused if the index has it (uploads are immutable), stored in the
 * artifact store under its sha256 (with its metadata file, served as PEP 658 metadata), and
 * joined to the mirror's tables in one write, where the resolver, builds and the simple pages
 * see it. A refused upload leaves no row; an upload that fails after its blobs were stored leaves
 * only content-addressed blobs no row names, which a later upload of the same bytes reuses.
 */
import { ArtifactStore } from '@venvfarm/artifacts';
import { ProjectRecord, writeProjects } from '@venvfarm/mirror';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { IndexRegistryRepository } from '../private/index-registry.repository';
import { tokenDigest } from '../private/upload-tokens';
import { checkDistribution } from './distribution-metadata';
import { readUpload } from './read-upload';
import { FileExistsError, UnknownIndexError, UploadCredentialsMissingError, UploadForbiddenError, UploadTooLargeError } from './upload-errors';

/** What an upload stored. */
export interface UploadedFile {
  readonly index: string;
  readonly project: string;
  readonly version: string;
  readonly filename: string;
  readonly sha256: string;
  readonly size: number;
}

export interface PrivateUploadsOptions {
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Where uploads are spooled while they are checked. */
  readonly tmpDir: string;
}

export class PrivateUploads {
  constructor(
    private readonly pool: Pool,
    private readonly registry: IndexRegistryRepository,
    private readonly store: ArtifactStore,
    private readonly options: PrivateUploadsOptions,
  ) {}

  /**
   * Checks that `token` may upload to `indexName`, before any of the body is read.
   * @throws UploadCredentialsMissingError (401), UploadForbiddenError (403), UnknownIndexError (404).
   */
  async authorize(indexName: string, token: string | null): Promise<void> {
    if (token === null) throw new UploadCredentialsMissingError();
    const owner = await this.registry.tokenIndex(tokenDigest(token));
    if (owner === null) throw new UploadForbiddenError('this token is not a token of any index');
    if (owner.revoked) throw new UploadForbiddenError('this token was revoked');
    if (owner.indexName !== indexName) throw new UploadForbiddenError(`this token uploads to index ${owner.indexName}, not ${indexName}`);
    const index = await this.registry.find(indexName);
    if (index === null || index.kind !== 'private') throw new UnknownIndexError(indexName, 'no private index of that name');
  }

  /** Refuses a body announced larger than any file accepted, before it is read (413). */
  checkLength(contentLength: string | undefined): void {
    // The form's fields and boundaries add a little to the file: allow for them.
    if (contentLength !== undefined && Number(contentLength) > this.options.maxBytes + 1024 * 1024) throw new UploadTooLargeError(this.options.maxBytes);
  }

  /**
   * Reads, checks and stores an upload to `indexName` (authorized already).
   * @throws InvalidUploadError (400), UploadTooLargeError (413), FileExistsError (409).
   */
  async upload(indexName: string, body: Readable, headers: Record<string, string | string[] | undefined>): Promise<UploadedFile> {
    const received = await readUpload(body, headers, this.options);
    try {
      const { file, metadata, metadataBytes } = await checkDistribution(received.path, received.filename, received.fields, received.sha256);
      return await this.registry.withUploadLock(indexName, file.filename, async (rows) => {
        if (await rows.fileExists(file.name, file.filename)) throw new FileExistsError(indexName, file.filename);
        await this.store.put(createReadStream(received.path), received.sha256, { name: file.filename, source: `upload to ${indexName}` });
        // A wheel's METADATA is final; an sdist's PKG-INFO may not be what its build makes, so, as
        // on PyPI, only wheels have PEP 658 metadata served.
        let metadataSha256: string | null = null;
        if (file.kind === 'wheel') {
          metadataSha256 = createHash('sha256').update(metadataBytes).digest('hex');
          await this.store.put(Readable.from([metadataBytes]), metadataSha256, { name: `${file.filename}.metadata`, source: `upload to ${indexName}` });
        }
        const { indexId, serial } = await rows.nextSerial();
        const uploadTime = new Date().toISOString();
        const record: ProjectRecord = {
          name: file.name,
          serial,
          releases: [
            {
              version: file.version,
              serial,
              uploadTime,
              files: [
                {
                  filename: file.filename,
                  sha256: received.sha256,
                  size: received.size,
                  url: null,
                  requiresPython: metadata.requiresPython,
                  yanked: false,
                  requiresDist: metadata.requiresDist,
                  providesExtras: metadata.providesExtras,
                  metadataSha256,
                  uploadTime,
                },
              ],
            },
          ],
        };
        await writeProjects(this.pool, indexId, [record]);
        return { index: indexName, project: file.name, version: file.version, filename: file.filename, sha256: received.sha256, size: received.size };
      });
    } finally {
      await received.discard();
    }
  }
}
