import { Module } from '@nestjs/common';
import { ResolutionModule } from '@venvfarm/resolution';
import { ResolveController } from './resolve.controller';
import { ResolveService } from './resolve.service';

@Module({ imports: [ResolutionModule], controllers: [ResolveController], providers: [ResolveService] })
export class ResolveModule {}
