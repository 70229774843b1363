/**
 * A build's log as a stream that follows the build: what the `builds` row holds now, then what
 * is appended, polled every half second, until the build has finished (or the client goes).
 * As server-sent events, each chunk is a `log` event (one `data:` line per log line) and the end
 * is an `end` event with the build's status.
 */
import { Injectable } from '@nestjs/common';
import { BuildRepository } from '@venvfarm/builds';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownSignal } from '../common/shutdown-signal';

const POLL_MS = 500;

@Injectable()
export class BuildLogStream {
  constructor(
    private readonly builds: BuildRepository,
    private readonly shutdown: ShutdownSignal,
  ) {}

  /**
   * `client`: the response; its `close` before the end (the client went away) stops the
   * polling. Its headers go out at once (a client waits for them before the first log line,
   * which may be minutes away while the build is queued).
   */
  stream(id: number, events: boolean, client: { once(event: 'close', listener: () => void): unknown; flushHeaders(): void }): Readable {
    const builds = this.builds;
    // Ends the polling when the client goes or the server shuts down (a wait in between too).
    const gone = new AbortController();
    client.once('close', () => gone.abort());
    const stop = AbortSignal.any([gone.signal, this.shutdown.signal]);
    return Readable.from(
      (async function* () {
        // Pulled first once Fastify has set the headers and piped the stream into the response.
        client.flushHeaders();
        let offset = 0;
        for (;;) {
          const part = await builds.logFrom(id, offset);
          if (part === null) return;
          if (part.text !== '') {
            // PostgreSQL counts characters (code points), not UTF-16 units.
            offset += [...part.text].length;
            yield events ? `event: log\n${part.text.replace(/\n$/, '').split('\n').map((line) => `data: ${line}`).join('\n')}\n\n` : part.text;
          }
          if (part.finished) {
            if (events) yield `event: end\ndata: ${(await builds.find(id))?.status ?? 'gone'}\n\n`;
            return;
          }
          if (stop.aborted) return;
          await sleep(POLL_MS, undefined, { signal: stop }).catch(() => undefined);
          if (stop.aborted) return;
        }
      })(),
      { objectMode: false },
    );
  }
}
