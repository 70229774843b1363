import { Controller, Get, INestApplication, Module, NotFoundException, Query } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Version } from '@venvfarm/pep440';
import { parseRequirement } from '@venvfarm/pep508';
import request from 'supertest';
import { DomainErrorFilter } from './domain-error.filter';
import { FASTIFY_EDGE_OPTIONS } from './edge';

@Controller('probe')
class ProbeController {
  @Get('version')
  version(@Query('v') v: string): { normalized: string } {
    return { normalized: Version.parse(v).toString() };
  }

  @Get('requirement')
  requirement(@Query('r') r: string): { name: string } {
    return { name: parseRequirement(r).name };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such project: foo');
  }

  @Get('bug')
  bug(): never {
    throw new TypeError('undefined is not a function');
  }
}

@Module({ controllers: [ProbeController], providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }] })
class ProbeModule {}

describe('DomainErrorFilter over real HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(FASTIFY_EDGE_OPTIONS), { logger: false });
    await app.init();
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  });
  afterAll(() => app.close());

  it('turns a parse error of user input into 400 with the position, drawing the input in the detail', async () => {
    const res = await request(app.getHttpServer()).get('/probe/version').query({ v: '1.0+' }).expect(400);
    expect(res.body).toEqual({ error: 'invalid_input', detail: "Invalid version: '1.0+'\n    1.0+\n       ^", position: 3 });
  });

  it('does the same for every packaging library (requirements here)', async () => {
    const res = await request(app.getHttpServer()).get('/probe/requirement').query({ r: 'django>=4,<5 extra' }).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_input', detail: expect.stringContaining('django>=4,<5 extra'), position: 13 });
    expect(Object.keys(res.body).sort()).toEqual(['detail', 'error', 'position']);
  });

  it('passes valid input through', async () => {
    await request(app.getHttpServer()).get('/probe/version').query({ v: 'V1.0-RC1' }).expect(200, { normalized: '1.0rc1' });
  });

  it('keeps the status of HTTP exceptions with a JSON body', async () => {
    const res = await request(app.getHttpServer()).get('/probe/missing').expect(404);
    expect(res.body).toEqual({ error: 'not_found', detail: 'no such project: foo' });
  });

  it('answers an unknown route with the one shape too', async () => {
    const res = await request(app.getHttpServer()).get('/probe/nothing-here').expect(404);
    expect(res.body).toEqual({ error: 'not_found', detail: 'Cannot GET /probe/nothing-here' });
  });

  it('answers 500 only for bugs, without leaking internals', async () => {
    const res = await request(app.getHttpServer()).get('/probe/bug').expect(500);
    expect(res.body.error).toBe('internal');
    expect(JSON.stringify(res.body)).not.toContain('undefined is not a function');
  });
});
