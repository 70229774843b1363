import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

/** The build `id` once it is done or failed, as `GET /v1/builds/{id}` shows it (polled). */
export async function finishedBuild(app: INestApplication, id: number): Promise<Record<string, unknown>> {
  for (;;) {
    const { body } = await request(app.getHttpServer()).get(`/v1/builds/${id}`).expect(200);
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
