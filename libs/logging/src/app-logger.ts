import type { LogLevel } from '@venvfarm/config';
import { Logger, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { LogDestination } from './log-destination';
import { currentRequest } from './request-context';

/**
 * Nest's own start-up chatter: one line per module, controller and route. Useful when debugging
 * the wiring, noise otherwise.
 */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'NestApplicationContext']);

/** The id of the request a line is written for, if any (a new object each time: pino merges into it). */
function requestFields(): { reqId?: string } {
  const scope = currentRequest();
  return scope === undefined ? {} : { reqId: scope.reqId };
}

/**
 * The root logger of an app: JSON lines at `level` into `destination`, each written while a
 * request is handled (request-context.ts) carrying the request's `reqId`.
 */
export function rootLogger(level: LogLevel, destination: LogDestination): pino.Logger {
  return pino({ level, mixin: requestFields }, destination);
}

/**
 * nestjs-pino's PinoLogger over one given pino logger. (nestjs-pino's own one reads the logger of
 * a request from the scope its middleware opens, a Nest middleware no venvfarm app mounts: the
 * API opens the scope in a Fastify hook, the worker has no requests; and its logger outside
 * requests is one per process, not per app.)
 */
class RootPinoLogger extends PinoLogger {
  constructor(private readonly root: pino.Logger) {
    super({ pinoHttp: { logger: root } });
  }

  override get logger(): pino.Logger {
    return this.root;
  }
}

/**
 * The app logger (`app.useLogger`): nestjs-pino's Nest logger over {@link rootLogger}, so
 * `new Logger('x').warn(...)` anywhere in the app or its libs becomes a pino entry with the
 * request's id, with Nest's start-up lines moved from info to debug.
 */
export class AppLogger extends Logger {
  constructor(
    /** The pino logger the lines go to (the API writes its access lines with it). */
    readonly root: pino.Logger,
  ) {
    super(new RootPinoLogger(root), {});
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
