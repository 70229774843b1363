/**
 * Errors of the upstream index client. Every one carries the URL it concerns and, when known,
 * the project, so a sync can report "project X: page at URL is malformed" and go on with the
 * next project instead of aborting.
 */

/** Base class of everything the upstream client throws. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    /** The URL that was fetched or parsed. */
    readonly url: string,
    /** The normalized project name, when the request was about one. */
    readonly project: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(`${project === null ? '' : `${project}: `}${message} (${url})`, options);
    this.name = new.target.name;
  }
}

/** The upstream answered with a status that is not success (after retries, for retryable ones). */
export class UpstreamHttpError extends UpstreamError {
  constructor(
    readonly status: number,
    url: string,
    project: string | null = null,
  ) {
    super(`HTTP ${status}`, url, project);
  }
}

/** The connection failed or timed out on every attempt. */
export class UpstreamNetworkError extends UpstreamError {}

/** A page, metadata file or XML-RPC answer that does not have the expected shape. */
export class MalformedResponseError extends UpstreamError {}

/** A `.metadata` file whose sha256 is not the one the project page advertised (PEP 658). */
export class MetadataHashMismatchError extends UpstreamError {
  constructor(
    readonly expected: string,
    readonly actual: string,
    url: string,
    project: string | null = null,
  ) {
    super(`metadata sha256 ${actual} is not the advertised ${expected}`, url, project);
  }
}

/** An XML-RPC fault, or an index that offers no XML-RPC at all. */
export class XmlRpcFaultError extends UpstreamError {
  constructor(
    readonly faultCode: number | null,
    readonly faultString: string,
    url: string,
  ) {
    super(`XML-RPC fault ${faultCode ?? ''}: ${faultString}`.trim(), url);
  }
}
