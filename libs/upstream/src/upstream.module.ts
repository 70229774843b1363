import { Global, Logger, Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { formatRetry } from './http-fetcher';
import { UpstreamClient } from './upstream-client';

/**
 * The upstream as a request handler uses it (lazy fetches): fewer retries than a sync, so a
 * dead upstream becomes a 503 within seconds instead of holding the request.
 */
function requestTimeUpstream(config: VenvfarmConfig): UpstreamClient {
  const logger = new Logger('upstream');
  return new UpstreamClient(config.upstream, { retries: 2, timeoutMs: 15_000, onRetry: (event) => logger.warn(formatRetry(event)) });
}

/** Provides the request-time {@link UpstreamClient} of the configured upstream. */
@Global()
@Module({
  providers: [{ provide: UpstreamClient, inject: [VenvfarmConfig], useFactory: requestTimeUpstream }],
  exports: [UpstreamClient],
})
export class UpstreamModule {}
