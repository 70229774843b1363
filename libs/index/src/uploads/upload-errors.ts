/** Why an upload is refused; each becomes a 4xx naming what was wrong. */

/** The form or the file is not acceptable (400); `field` names the form field. */
export class InvalidUploadError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InvalidUploadError';
  }
}

/** The file is larger than the server accepts (413). */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes, the largest upload this server accepts`);
    this.name = 'UploadTooLargeError';
  }
}

/** The index has a file of that name already: uploads are immutable (409). */
export class FileExistsError extends Error {
  constructor(
    readonly indexName: string,
    readonly filename: string,
  ) {
    super(`${filename} exists in index ${indexName} already; uploads are immutable: publish a new version (or a new build number) instead`);
    this.name = 'FileExistsError';
  }
}

/** No such index, or not one that takes uploads (404). */
export class UnknownIndexError extends Error {
  constructor(
    readonly indexName: string,
    reason = 'no such index',
  ) {
    super(`${indexName}: ${reason}`);
    this.name = 'UnknownIndexError';
  }
}

/** The upload carries no token (401). */
export class UploadCredentialsMissingError extends Error {
  constructor() {
    super('uploads need a token of the index: send it as the password of the user __token__ (twine: -u __token__ -p <token>)');
    this.name = 'UploadCredentialsMissingError';
  }
}

/** The token is not one of this index, or was revoked (403). */
export class UploadForbiddenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UploadForbiddenError';
  }
}

/** The upload is not a multipart form (415). */
export class UploadNotMultipartError extends Error {
  constructor() {
    super('send the upload as multipart/form-data, as twine does');
    this.name = 'UploadNotMultipartError';
  }
}
