import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/**
 * Aborted when the app starts to shut down, before the HTTP server closes: answers that wait
 * (a build's live log, `POST /v1/envs` waiting for its build) end then, instead of holding the
 * server's close until they would have ended on their own.
 */
@Injectable()
export class ShutdownSignal implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  beforeApplicationShutdown(): void {
    this.controller.abort(new Error('the server is shutting down'));
  }
}
