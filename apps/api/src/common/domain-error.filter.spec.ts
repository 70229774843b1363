import { Controller, Get, INestApplication, Module, NotFoundException, Query } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Version } from '@venvfarm/pep440';
import { parseRequirement } from '@venvfarm/pep508';
import request from 'supertest';
import { DomainErrorFilter } from './domain-error.filter';

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
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('turns a parse error of user input into 400 naming the input and position', async () => {
    const res = await request(app.getHttpServer()).get('/probe/version').query({ v: '1.0+' }).expect(400);
    expect(res.body).toEqual({ error: 'invalid_input', detail: "Invalid version: '1.0+'", input: '1.0+', position: 3 });
  });

  it('does the same for every packaging library (requirements here)', async () => {
    const res = await request(app.getHttpServer()).get('/probe/requirement').query({ r: 'django>=4,<5 extra' }).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_input', input: 'django>=4,<5 extra', position: 13 });
  });

  it('passes valid input through', async () => {
    await request(app.getHttpServer()).get('/probe/version').query({ v: 'V1.0-RC1' }).expect(200, { normalized: '1.0rc1' });
  });

  it('keeps the status of HTTP exceptions with a JSON body', async () => {
    const res = await request(app.getHttpServer()).get('/probe/missing').expect(404);
    expect(res.body).toEqual({ error: 'not_found', detail: 'no such project: foo' });
  });

  it('answers 500 only for bugs, without leaking internals', async () => {
    const res = await request(app.getHttpServer()).get('/probe/bug').expect(500);
    expect(res.body.error).toBe('internal');
    expect(JSON.stringify(res.body)).not.toContain('undefined is not a function');
  });
});
