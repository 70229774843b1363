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

const POLL_MS = 500;

@Injectable()
export class BuildLogStream {
  constructor(private readonly builds: BuildRepository) {}

  /** `client`: the request's socket side, whose `close` ends the stream early. */
  stream(id: number, events: boolean, client: { once(event: 'close', listener: () => void): unknown }): Readable {
    const builds = this.builds;
    let gone = false;
    client.once('close', () => (gone = true));
    return Readable.from(
      (async function* () {
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
          if (gone) return;
          await sleep(POLL_MS);
        }
      })(),
      { objectMode: false },
    );
  }
}
