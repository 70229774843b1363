import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppLogger, defaultLogDestination, rootLogger } from '@venvfarm/logging';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  // Nest's lines wait for the app logger (pino: JSON lines, readable on a terminal). A start-up
  // failure rejects (abortOnError: false) and leaves them waiting for the handler below.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, autoFlushLogs: false, abortOnError: false });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  // On SIGTERM/SIGINT: the running job goes back to the queue, then the process exits (its exit
  // handler writes out the log lines still held back).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
}

main().catch((error: unknown) => {
  // The app's logger may not exist (its configuration may be what failed): the same JSON lines at
  // info, with what Nest logged while starting.
  const root = rootLogger('info', defaultLogDestination());
  Logger.overrideLogger(new AppLogger(root));
  Logger.flush();
  root.error({ context: 'worker', err: error }, 'the worker did not start');
  process.exit(1);
});
