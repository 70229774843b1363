/**
 * The logs of venvfarm's apps: pino JSON lines on stdout (readable on a terminal), Nest's
 * `Logger` routed to them, and the request a line is written for carried along
 * (AsyncLocalStorage) so the line says its `reqId`. The HTTP side (request ids, access lines)
 * is the API's.
 */
export { AppLogger, rootLogger } from './app-logger';
export { defaultLogDestination, LinesPerTurn, LogDestination } from './log-destination';
export { LoggingModule } from './logging.module';
export { currentRequest, runInRequest } from './request-context';
export type { RequestScope } from './request-context';
