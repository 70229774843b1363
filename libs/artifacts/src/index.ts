export * from './artifact-errors';
export * from './artifact-names';
export * from './artifact-store';
export * from './file-artifact-store';
export * from './open-artifact-store';
export * from './stage-files';
// Types only: the S3 adapter and the AWS SDK load when openArtifactStore opens an s3:// store.
export type { S3ArtifactStore, S3ArtifactStoreOptions } from './s3-artifact-store';
export * from './archive-member';
