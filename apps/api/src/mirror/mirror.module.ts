import { Module } from '@nestjs/common';
import { MirrorJobsModule } from '@venvfarm/mirror';
import { MirrorController } from './mirror.controller';

/** `/v1/mirror`, and the mirror's job processors, which `serve` runs unless VENVFARM_JOBS=off. */
@Module({ imports: [MirrorJobsModule], controllers: [MirrorController] })
export class MirrorModule {}
