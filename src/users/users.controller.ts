import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '@/auth/decorators/current-principal.decorator';
import { RequirePermissions } from '@/auth/decorators/require-permissions.decorator';
import { Principal } from '@/auth/principal';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { PageQueryDto } from '@/common/pagination';
import { Invitations } from '@/accounts/invitations.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto, UserPageDto } from './dto/user.dto';
import { HashesPassword } from './hashes-password.decorator';
import { UserAdministration } from './user-administration.service';

@ApiTags('users')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid body, query or id' })
@RequirePermissions('users:manage')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UserAdministration,
    private readonly invitations: Invitations,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's users, newest first" })
  @ApiOkResponse({ type: UserPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() page: PageQueryDto,
  ): Promise<UserPageDto> {
    return this.users.list(principal.tenantId, page);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a user to the tenant; without a password, an invitation is mailed to them',
    description:
      'The invitation link (valid 24 h) lets them verify their email and set a password, or ' +
      'sign in only through the external identity provider.',
  })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The email is already registered' })
  @HashesPassword()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(principal, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role or status; effective on their next request" })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'It would leave no active admin' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(principal, id, dto);
  }

  @Post(':id/invitation')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Mail the invitation again, with a new link (the previous one stops working)',
  })
  @ApiAcceptedResponse({ description: 'The invitation is on its way' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The user has accepted already, or is deactivated',
  })
  resendInvitation(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.invitations.resend(principal, id);
  }
}
