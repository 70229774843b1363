import { AppLogger, rootLogger } from './app-logger';
import { runInRequest } from './request-context';

/** A destination that keeps what is written, as parsed entries. */
function capture() {
  const lines: string[] = [];
  return { entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), write: (line: string) => void lines.push(line) };
}

describe('rootLogger', () => {
  it('writes the id of the request a line is logged for, and none outside requests', async () => {
    const sink = capture();
    const logger = rootLogger('info', sink);
    logger.info('outside');
    await runInRequest('req-1', async () => {
      await new Promise((done) => setImmediate(done));
      logger.info('inside, after an await');
    });
    expect(sink.entries().map(({ msg, reqId }) => ({ msg, reqId }))).toEqual([{ msg: 'outside' }, { msg: 'inside, after an await', reqId: 'req-1' }]);
  });
});

describe('AppLogger', () => {
  it('moves Nest start-up lines to debug and keeps the context of other lines', () => {
    const sink = capture();
    const logger = new AppLogger(rootLogger('info', sink));
    logger.log('InstanceLoader dependencies initialized', 'InstanceLoader');
    logger.log('job 42 done', 'queue');
    logger.warn('slow', 'queue');
    expect(sink.entries().map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 30, msg: 'job 42 done', context: 'queue' },
      { level: 40, msg: 'slow', context: 'queue' },
    ]);
  });
});
