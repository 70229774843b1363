import { CanActivate, ExecutionContext, ForbiddenException, HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_LEVEL, AccessLevel } from './access.decorator';
import { Credentials } from './credentials';

/** `Bearer <token>` (RFC 6750 §2.1): the scheme in any case, the token in b64token syntax. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Why a request with this `Authorization` header may not use a route of `level`: 401 without a
 * usable `Authorization: Bearer` header, 403 with a token that does not grant the operation;
 * null when it may. (Shared by the guard and the cache-hit path below NestJS.)
 */
export function accessDenial(level: AccessLevel, authorization: string | string[] | undefined, credentials: Credentials): HttpException | null {
  if (level === 'open' || (level === 'read' && !credentials.readsNeedToken)) return null;
  const what = level === 'admin' ? 'an admin operation and needs the admin token' : 'a read on a server that requires a read token';
  if (authorization === undefined || authorization === '' || Array.isArray(authorization)) return new UnauthorizedException(`this is ${what}: send Authorization: Bearer <token>`);
  const match = BEARER.exec(authorization);
  if (match === null) return new UnauthorizedException(`the Authorization header is not "Bearer <token>"; this is ${what}`);
  const grant = credentials.grantOf(match[1]);
  if (grant === 'admin' || (grant === 'read' && level === 'read')) return null;
  return new ForbiddenException(grant === 'read' ? 'the read token does not allow admin operations' : 'the token is not valid for this server');
}

/** A route's access level: its own, else its controller's, else `read`. */
export function accessLevelOf(reflector: Reflector, handler: (...args: never[]) => unknown, controller: abstract new (...args: never[]) => unknown): AccessLevel {
  return reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_LEVEL, [handler, controller]) ?? 'read';
}

/**
 * Checks every route's access level before anything else runs for it (guards run before pipes,
 * so an unauthenticated admin request is refused before its body is validated or any work is
 * done): see {@link accessDenial}.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const level = accessLevelOf(this.reflector, context.getHandler() as (...args: never[]) => unknown, context.getClass());
    if (level === 'open' || (level === 'read' && !this.credentials.readsNeedToken)) return true;
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers.authorization;
    const denial = accessDenial(level, header, this.credentials);
    if (denial !== null) throw denial;
    return true;
  }
}
