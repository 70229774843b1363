import { Module } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { adminToken } from './admin-token';
import { Credentials } from './credentials';

/**
 * The credentials of bearer-token access, which BearerAuthGuard (AppModule's first global guard)
 * and the cache-hit path below NestJS check. The admin token is VENVFARM_ADMIN_TOKEN, else the
 * one kept in the data directory, made at first start; the server says in one line on stdout
 * where it is (never the token itself).
 */
@Module({
  providers: [
    {
      provide: Credentials,
      inject: [VenvfarmConfig],
      useFactory: (config: VenvfarmConfig): Credentials => {
        const admin = adminToken(config.adminToken, config.dataDir);
        if (admin.path !== null) {
          process.stdout.write(`venvfarm admin token ${admin.source === 'created' ? 'created in' : 'read from'} ${admin.path} (send it as Authorization: Bearer <token>)\n`);
        }
        return new Credentials(admin.token, config.readToken);
      },
    },
  ],
  exports: [Credentials],
})
export class AuthModule {}
