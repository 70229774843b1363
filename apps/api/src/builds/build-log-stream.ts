/**
 * A build's log as a stream that follows the build: what the `builds` row holds now, then what
 * is appended, polled every half second, until the build has finished (or the client goes).
 * As server-sent events, each chunk is a `log` event (one `data:` line per log line) and the end
 * is an `end` event with the build's status. A build lost with its job (builds.service.ts) ends
 * the stream too: the build is looked at through its job every few polls.
 */
import { Injectable } from '@nestjs/common';
import { BuildRepository } from '@venvfarm/builds';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownSignal } from '../common/shutdown-signal';
import { BuildsService } from './builds.service';

const POLL_MS = 500;
/** Polls of the log between two looks at the build's job. */
const POLLS_PER_JOB_CHECK = 6;

@Injectable()
export class BuildLogStream {
  constructor(
    private readonly builds: BuildRepository,
    private readonly service: BuildsService,
    private readonly shutdown: ShutdownSignal,
  ) {}

  /**
   * `client`: the response; its `close` before the end (the client went away) stops the
   * polling. Its headers go out at once (a client waits for them before the first log line,
   * which may be minutes away while the build is queued).
   */
  stream(id: number, events: boolean, client: { once(event: 'close', listener: () => void): unknown; flushHeaders(): void }): Readable {
    const { builds, service } = this;
    // Ends the polling when the client goes or the server shuts down (a wait in between too).
    const gone = new AbortController();
    client.once('close', () => gone.abort());
    const stop = AbortSignal.any([gone.signal, this.shutdown.signal]);
    return Readable.from(
      (async function* () {
        // Pulled first once Fastify has set the headers and piped the stream into the response.
        client.flushHeaders();
        let offset = 0;
        for (let poll = 1; ; poll++) {
          const part = await builds.logFrom(id, offset);
          if (part === null) return;
          if (part.text !== '') {
            // PostgreSQL counts characters (code points), not UTF-16 units.
            offset += [...part.text].length;
            yield events ? `event: log\n${part.text.replace(/\n$/, '').split('\n').map((line) => `data: ${line}`).join('\n')}\n\n` : part.text;
          }
          if (part.finished) {
            if (events) yield `event: end\ndata: ${(await service.find(id))?.status ?? 'gone'}\n\n`;
            return;
          }
          // Recorded as failed when its job is lost; the next poll then reads the end.
          if (poll % POLLS_PER_JOB_CHECK === 0 && (await service.find(id))?.status === 'failed') continue;
          if (stop.aborted) return;
          await sleep(POLL_MS, undefined, { signal: stop }).catch(() => undefined);
          if (stop.aborted) return;
        }
      })(),
      { objectMode: false },
    );
  }
}
