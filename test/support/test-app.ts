import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig, VenvfarmConfig } from '@venvfarm/config';
import { AppModule } from '../../apps/api/src/app.module';

/**
 * The API app as an end-to-end suite uses it: the real AppModule with its configuration given
 * as a provider (never through process.env, which other suites in the same worker share).
 * Values not given are the defaults of an empty environment.
 */
export async function createTestApp(
  overrides: Partial<VenvfarmConfig>,
  beforeInit: (app: INestApplication) => void = () => undefined,
): Promise<INestApplication> {
  const config = loadConfig({}, overrides);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(VenvfarmConfig).useValue(config).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  beforeInit(app);
  await app.init();
  return app;
}
