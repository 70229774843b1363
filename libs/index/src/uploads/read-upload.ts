/**
 * Reads an upload of the legacy upload API (what twine and `python -m build` + twine send): a
 * `multipart/form-data` body with `:action=file_upload`, metadata fields (`name`, `version`,
 * `filetype`, `sha256_digest`, repeated `requires_dist`, ...) and the file as `content`. The file
 * streams to a temporary file while it is hashed; more bytes than the limit stop the read at once.
 */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { InvalidUploadError, UploadTooLargeError } from './upload-errors';

/** Form fields, each with every value sent (`requires_dist` repeats). */
export type UploadFields = ReadonlyMap<string, readonly string[]>;

/** An upload read off the wire. */
export interface ReceivedUpload {
  readonly fields: UploadFields;
  /** The file's name as the form gave it. */
  readonly filename: string;
  /** Where its bytes are (delete with {@link ReceivedUpload.discard}). */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  discard(): Promise<void>;
}

export interface ReadUploadOptions {
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Where the temporary file goes. */
  readonly tmpDir: string;
}

/** Fields besides the file: a form with more, or longer ones, is refused. */
const MAX_FIELDS = 200;
const MAX_FIELD_BYTES = 256 * 1024;

/**
 * Reads the form from `body` (its headers give the boundary).
 * @throws InvalidUploadError (not a form, no file, more than one), UploadTooLargeError.
 */
export async function readUpload(body: Readable, headers: Record<string, string | string[] | undefined>, options: ReadUploadOptions): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: headers as Record<string, string>, limits: { files: 1, fileSize: options.maxBytes, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 } });
  } catch (error) {
    throw new InvalidUploadError(`the body is not a multipart form: ${(error as Error).message}`, 'content');
  }
  const fields = new Map<string, string[]>();
  const path = join(options.tmpDir, `upload-${randomUUID()}.part`);
  const discard = () => rm(path, { force: true });
  let file: Promise<{ filename: string; size: number; sha256: string }> | null = null;
  let refusal: Error | null = null;
  const refuse = (error: Error) => {
    refusal ??= error;
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated || info.nameTruncated) refuse(new InvalidUploadError(`the form field ${name} is longer than ${MAX_FIELD_BYTES} bytes`, name));
    else fields.set(name, [...(fields.get(name) ?? []), value]);
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'content' || file !== null) {
      refuse(new InvalidUploadError(name === 'content' ? 'send one file per upload' : `unexpected file field ${name}: the file goes in "content"`, name));
      stream.resume();
      return;
    }
    const hash = createHash('sha256');
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    stream.on('limit', () => refuse(new UploadTooLargeError(options.maxBytes)));
    file = pipeline(stream, createWriteStream(path, { flags: 'wx' })).then(() => ({ filename: info.filename ?? '', size, sha256: hash.digest('hex') }));
    file.catch(() => undefined);
  });
  parser.on('filesLimit', () => refuse(new InvalidUploadError('send one file per upload', 'content')));
  parser.on('fieldsLimit', () => refuse(new InvalidUploadError(`the form has more than ${MAX_FIELDS} fields`, 'content')));
  parser.on('partsLimit', () => refuse(new InvalidUploadError(`the form has more than ${MAX_FIELDS + 1} parts`, 'content')));

  try {
    await pipeline(body, parser);
    const received = file === null ? null : await (file as Promise<{ filename: string; size: number; sha256: string }>);
    if (refusal !== null) throw refusal;
    if (received === null) throw new InvalidUploadError('the form has no file: send it as "content"', 'content');
    return { fields, path, ...received, discard };
  } catch (error) {
    await discard();
    if (refusal !== null) throw refusal;
    if (error instanceof InvalidUploadError) throw error;
    throw new InvalidUploadError(`the form cannot be read: ${(error as Error).message}`, 'content');
  }
}
