/**
 * Opens the store named by `VENVFARM_STORE`: `file:///path` or a plain path for the filesystem
 * adapter, `s3://bucket/prefix` for S3. The S3 adapter (and the AWS SDK, about a quarter of a
 * second to load) is loaded only when an S3 store is asked for.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidStoreSpecError } from './artifact-errors';
import { ArtifactStore } from './artifact-store';
import { FileArtifactStore } from './file-artifact-store';

/** What a store spec names. */
export type StoreLocation = { readonly kind: 'file'; readonly root: string } | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** How {@link openArtifactStore} opens a store. */
export interface OpenArtifactStoreOptions {
  /** Environment for the S3 client (credentials, region, `VENVFARM_S3_ENDPOINT`). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Local folder for the temporary files of S3 puts. Default the OS's temporary folder. */
  readonly spoolDir?: string;
}

/** Parses a store spec; a relative path is taken from the working directory. @throws InvalidStoreSpecError */
export function parseStoreSpec(spec: string): StoreLocation {
  const text = spec.trim();
  if (text === '') throw new InvalidStoreSpecError(spec, 'empty');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', root: resolve(text) };
  if (scheme === 'file') {
    try {
      return { kind: 'file', root: fileURLToPath(text) };
    } catch (error) {
      throw new InvalidStoreSpecError(spec, (error as Error).message);
    }
  }
  if (scheme === 's3') {
    const match = /^s3:\/\/([^/?#]+)\/?([^?#]*)$/i.exec(text);
    // Bucket naming rules (3-63 of lower-case letters, digits, dots, hyphens).
    if (match === null || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1])) throw new InvalidStoreSpecError(spec, 'not a valid bucket name');
    return { kind: 's3', bucket: match[1], prefix: match[2].replace(/\/+$/, '') };
  }
  throw new InvalidStoreSpecError(spec, `unknown scheme ${scheme}`);
}

/** Opens the store `spec` names. @throws InvalidStoreSpecError */
export async function openArtifactStore(spec: string, options: OpenArtifactStoreOptions = {}): Promise<ArtifactStore> {
  const location = parseStoreSpec(spec);
  if (location.kind === 'file') return FileArtifactStore.open(location.root);
  const { S3ArtifactStore, s3ClientFromEnv } = await import('./s3-artifact-store');
  return new S3ArtifactStore({ client: s3ClientFromEnv(options.env), bucket: location.bucket, prefix: location.prefix, spoolDir: options.spoolDir });
}
