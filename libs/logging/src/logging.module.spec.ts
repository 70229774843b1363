import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@venvfarm/config';
import { AppLogger } from './app-logger';
import { LogDestination } from './log-destination';
import { LoggingModule } from './logging.module';

/** A destination that keeps what is written, as parsed entries. */
function capture() {
  const lines: string[] = [];
  return { entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), write: (line: string) => void lines.push(line) };
}

describe('LoggingModule', () => {
  it('provides the app logger at the configured level over the destination, and flushes it at shutdown', async () => {
    const sink = capture();
    let flushed = 0;
    const destination: LogDestination = { write: sink.write, flush: () => void flushed++ };
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(loadConfig({}, { logLevel: 'warn' })), LoggingModule] })
      .overrideProvider(LogDestination)
      .useValue(destination)
      .compile();
    moduleRef.useLogger(moduleRef.get(AppLogger));
    await moduleRef.init();
    new Logger('worker').log('not at warn');
    new Logger('worker').warn('at warn');
    await moduleRef.close();
    expect(sink.entries().map(({ msg, context }) => ({ msg, context }))).toEqual([{ msg: 'at warn', context: 'worker' }]);
    expect(flushed).toBe(1);
  });
});
