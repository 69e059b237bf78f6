import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { EditPolicyHandler } from '../application/edit-policy.handler.js';
import type { PolicyStep } from '../domain/escalation-policy.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';

class PolicyVersionDto {
  @ApiProperty({
    description:
      'Ordered steps: { level: notice|interview|accountability, kind, targets: [responsible|bureau_head|party_committee], ' +
      'scope?: county|city, channels: [sms|email], waitWorkingDays, condition?: { unresolved?, minItems? }, urgent?, ' +
      'interview?: { inWorkingDays, time: "HH:MM", place, followUpReminderWorkingDays? } } — checked field by field',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  steps: PolicyStep[];
  @ApiProperty({ example: 90 }) @IsInt() @Min(0) recurrenceWindowDays: number;
  @ApiPropertyOptional({ description: 'default: now' }) @IsOptional() @IsISO8601() effectiveFrom?: string;
}

@ApiTags('escalation policies')
@ApiBearerAuth()
@Controller('api/escalation-policies')
export class PolicyController {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly edit: EditPolicyHandler,
  ) {}

  /** Every version of every breach type's policy (or one type's), oldest first. */
  @Get()
  list(@Query('breachType') breachType?: string) {
    return this.escalations.policyVersions(breachType);
  }

  /** Adds a version; running escalations keep the version they started with. */
  @Post(':breachType')
  @Roles('city_admin')
  add(
    @Param('breachType') breachType: string,
    @Body() dto: PolicyVersionDto,
    @CurrentUser() user: Principal,
  ) {
    return this.edit.execute(breachType, dto, user);
  }
}
