import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';

/** A route without a query DTO takes no query: the empty schema, so the answer is the usual 400 naming the parameter. */
const NO_QUERY = z.strictObject({});

/**
 * Holds routes that declare no query (health, metrics, status) to the same rule as the others:
 * every query is validated by a schema, and for them the schema is "no parameters", so
 * `?anything` is a 400 naming it rather than silently ignored. Routes with a query DTO are left
 * to the validation pipe.
 *
 * A guard, not an interceptor: it only refuses, and on Node 20 every Nest interceptor costs a
 * request two `AsyncResource.bind` calls (~70 us together, measured on GET /health).
 * AppModule registers it after the authentication guard, so an unauthenticated call is a 401 whatever its query.
 */
@Injectable()
export class UndeclaredQueryGuard implements CanActivate {
  private readonly declaresQuery = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    let declares = this.declaresQuery.get(handler);
    if (declares === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      declares = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.QUERY}:`));
      this.declaresQuery.set(handler, declares);
    }
    if (declares) return true;
    const { query } = context.switchToHttp().getRequest<{ query?: unknown }>();
    const checked = NO_QUERY.safeParse(query ?? {});
    if (!checked.success) throw new ZodValidationException(checked.error);
    return true;
  }
}
