import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { ApiError } from '@/common/errors';
import { PageQueryDto } from '@/common/pagination';
import { SessionPageDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid limit, cursor or id' })
@RequirePermissions('account:manage')
@Controller('user/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'Your signed-in sessions, newest first; `current` is this one' })
  @ApiOkResponse({ type: SessionPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<SessionPageDto> {
    return this.sessions.list(principal, page);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End one of your sessions: its tokens are refused from the next request on',
  })
  @ApiNoContentResponse({ description: 'Ended (or it had ended already)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async end(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    if (!(await this.sessions.end(principal, id, 'ended_by_user'))) {
      throw new ApiError('NOT_FOUND', 'Session not found');
    }
  }
}
