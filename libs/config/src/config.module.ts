import { DynamicModule, Module } from '@nestjs/common';
import { loadConfig, VenvfarmConfig } from './config';

/**
 * Provides the one {@link VenvfarmConfig} of the process to every module. Apps import
 * `ConfigModule.forRoot()` (the environment, read once); tests pass a config object or override
 * the `VenvfarmConfig` provider instead of changing process.env.
 */
@Module({})
export class ConfigModule {
  static forRoot(config?: VenvfarmConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: VenvfarmConfig, useFactory: (): VenvfarmConfig => config ?? loadConfig() }],
      exports: [VenvfarmConfig],
    };
  }
}
