import { Module, OnApplicationShutdown } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { AppLogger, rootLogger } from './app-logger';
import { defaultLogDestination, LogDestination } from './log-destination';

/**
 * The logging of an app: the {@link LogDestination} (stdout: JSON lines, readable on a
 * terminal; tests override the provider to read the lines) and the {@link AppLogger} over it at
 * `VenvfarmConfig.logLevel` (`VENVFARM_LOG_LEVEL`). The app makes it its logger:
 *
 * ```ts
 * const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
 * app.useLogger(app.get(AppLogger));
 * ```
 *
 * Lines held back by the destination are written out when the app shuts down.
 */
@Module({
  providers: [
    { provide: LogDestination, useFactory: () => defaultLogDestination() },
    { provide: AppLogger, inject: [VenvfarmConfig, LogDestination], useFactory: (config: VenvfarmConfig, destination: LogDestination) => new AppLogger(rootLogger(config.logLevel, destination)) },
  ],
  exports: [LogDestination, AppLogger],
})
export class LoggingModule implements OnApplicationShutdown {
  constructor(private readonly destination: LogDestination) {}

  /** Lines held back for the end of the event loop's turn go out before the process ends. */
  onApplicationShutdown(): void {
    this.destination.flush?.();
  }
}
