import { Global, Logger, Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { formatRetry } from './http-fetcher';
import { UpstreamClient } from './upstream-client';
import { UpstreamObserver } from './upstream-observer';

/**
 * The upstream as a request handler uses it (lazy fetches): fewer retries than a sync, so a
 * dead upstream becomes a 503 within seconds instead of holding the request.
 */
function requestTimeUpstream(config: VenvfarmConfig, observer: UpstreamObserver | undefined): UpstreamClient {
  const logger = new Logger('upstream');
  return new UpstreamClient(config.upstream, { retries: 2, timeoutMs: 15_000, onRetry: (event) => logger.warn(formatRetry(event)), observer });
}

/** Provides the request-time {@link UpstreamClient} of the configured upstream, observed by the app's {@link UpstreamObserver} if any. */
@Global()
@Module({
  providers: [{ provide: UpstreamClient, inject: [VenvfarmConfig, { token: UpstreamObserver, optional: true }], useFactory: requestTimeUpstream }],
  exports: [UpstreamClient],
})
export class UpstreamModule {}
