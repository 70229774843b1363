import { IndexRegistryModule } from '../index/index-registry.module';
import { Module, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { LazyMirrorModule } from '@venvfarm/mirror';
import { ResolutionModule } from '@venvfarm/resolution';
import type { FastifyInstance } from 'fastify';
import { AuthModule } from '../auth/auth.module';
import { accessLevelOf } from '../auth/bearer-auth.guard';
import { CachedAnswers } from './cached-answers';
import { ResolveController } from './resolve.controller';
import { ResolveService } from './resolve.service';

/** The path of a controller's route, from its decorators (`@Controller('v1')` + `@Post('resolve')`: `/v1/resolve`). */
function routePath(controller: object, handler: object): string {
  const parts = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)] as (string | undefined)[];
  return `/${parts
    .map((part) => (part ?? '').replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/')}`;
}

/** `POST /v1/resolve`; known requests whose answer is held and current are answered in front of Fastify (CachedAnswers). */
@Module({ imports: [ResolutionModule, LazyMirrorModule, AuthModule, IndexRegistryModule], controllers: [ResolveController], providers: [ResolveService, CachedAnswers], exports: [ResolveService] })
export class ResolveModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly reflector: Reflector,
    private readonly cachedAnswers: CachedAnswers,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null || adapter.getType() !== 'fastify') return;
    const handler = ResolveController.prototype.resolve;
    this.cachedAnswers.serve(adapter.getHttpServer(), adapter.getInstance<FastifyInstance>(), { path: routePath(ResolveController, handler), access: accessLevelOf(this.reflector, handler, ResolveController) });
  }
}
