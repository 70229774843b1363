/**
 * A worker process for the stalled-job test: works on `mirror-sync` jobs forever, reporting a
 * step counter, until the test kills it with SIGKILL. Settings come as JSON in argv[2].
 */
import { Queues } from '../queues';
import type { QueueSettings } from '../queue-settings';

const settings = JSON.parse(process.argv[2]) as QueueSettings;
const queues = new Queues(settings);
queues.workers.start(
  {
    'mirror-sync': {
      async process(job) {
        for (let step = 1; ; step++) {
          job.reportProgress({ step, pid: process.pid });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
    },
  },
  ['mirror-sync'],
);
process.stdout.write('worker started\n');
