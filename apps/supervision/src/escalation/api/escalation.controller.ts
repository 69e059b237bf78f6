import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { EscalationRepository } from '../persistence/escalation.repository.js';

class ListEscalationsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'county must be a 6-digit code' })
  county?: string;
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 100;
}

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/escalations')
export class EscalationController {
  constructor(private readonly escalations: EscalationRepository) {}

  @Get()
  async list(@Query() q: ListEscalationsQuery, @CurrentUser() user: Principal) {
    const rows = await this.escalations.list({ ...q, county: scopedCounty(user, q.county) });
    return rows.map(({ escalation, notices }) => {
      const s = escalation.state;
      return {
        id: s.id,
        front: s.front,
        countyCode: s.countyCode,
        status: s.status,
        level: s.level,
        itemCount: s.itemCount,
        openItemCount: s.openItemCount,
        amount: (s.amountFen / 100).toFixed(2),
        policyVersion: s.policy.version,
        openedAt: s.openedAt,
        resolvedAt: s.resolvedAt,
        notifications: notices,
      };
    });
  }
}
