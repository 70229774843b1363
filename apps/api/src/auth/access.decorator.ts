import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-errors.decorator';

/**
 * Who may call a route: `open` (health), `read` (the default: open unless VENVFARM_READ_TOKEN is
 * set, then the read or the admin token), `admin` (the admin token).
 */
export type AccessLevel = 'open' | 'read' | 'admin';

/** Metadata key of a route's {@link AccessLevel}. */
export const ACCESS_LEVEL = 'venvfarm:access';

/** An admin operation: needs `Authorization: Bearer <admin token>` (401 without, 403 with another). */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_LEVEL, 'admin'), ApiBearerAuth('admin'), ApiErrorResponses('unauthorized', 'forbidden'));
}

/** Open to anyone, also when reads need a token (health checks of load balancers). */
export function OpenAccess(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_LEVEL, 'open'));
}

/**
 * A read endpoint (the level of every route without a decorator); the decorator documents the
 * read token that a server with VENVFARM_READ_TOKEN asks for.
 */
export function ReadAccess(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_LEVEL, 'read'), ApiBearerAuth('read'), ApiErrorResponses('unauthorized', 'forbidden'));
}
