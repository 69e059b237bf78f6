import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, IsISO8601, Max, Min } from 'class-validator';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { AddMonitoringPolicyHandler } from '../application/add-monitoring-policy.handler.js';
import { MonitoringPolicyRepository } from '../persistence/monitoring-policy.repository.js';

export class MonitoringPolicyDto {
  @ApiProperty({ example: '2020-09-01' })
  @IsISO8601({ strict: true }, { message: 'effectiveFrom must be a date YYYY-MM-DD' })
  effectiveFrom: string;

  @ApiProperty({
    example: 30,
    description: 'A project under way with no progress report for longer is stalled',
  })
  @IsInt()
  @Min(1)
  @Max(366)
  stalledAfterDays: number;

  @ApiProperty({ example: 0, description: 'Spend beyond the budget by more than this percent is an overrun' })
  @IsInt()
  @Min(0)
  @Max(100)
  overrunTolerancePercent: number;
}

@ApiTags('monitoring policy')
@ApiBearerAuth()
@Controller('api/monitoring-policies')
export class MonitoringPolicyController {
  constructor(
    private readonly policies: MonitoringPolicyRepository,
    private readonly addPolicy: AddMonitoringPolicyHandler,
  ) {}

  @Get()
  list() {
    return this.policies.list();
  }

  @Post()
  @Roles('city_admin')
  add(@Body() dto: MonitoringPolicyDto, @CurrentUser() user: Principal) {
    return this.addPolicy.execute(dto, user);
  }
}
