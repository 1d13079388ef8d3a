import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '@/users/users.module';
import { RefreshCookie } from './refresh-cookie';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionSweeper } from './session-sweeper';
import { SessionUsageRecorder } from './session-usage.recorder';
import { SessionVerifier } from './session.verifier';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

/** Sign-in sessions: refresh tokens, ending sessions, and the check on every access token. */
@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken]), UsersModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    SessionVerifier,
    SessionUsageRecorder,
    SessionSweeper,
    RefreshCookie,
  ],
  exports: [SessionsService, SessionVerifier, RefreshCookie],
})
export class SessionsModule {}
