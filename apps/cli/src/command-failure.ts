/**
 * A failure that ends a command with an exit code of its own (`ci restore` tells "the server is
 * unreachable" from other failures, so that a CI script can fall back). main.ts prints its
 * message, as it does any error's, and exits with its code; any other error exits with 1.
 * No imports: main.ts loads it at start-up.
 */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CommandFailure';
  }
}
