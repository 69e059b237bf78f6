import { Controller, Get, NotFoundException, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import type { Request } from 'express';
import { countyScope, CurrentUser, Roles, type Principal } from '@edu/auth';
import { ImportRunner, readUpload } from '@edu/imports';
import { formatYuan } from '../../entitlement/domain/money.js';
import { ExplainEligibilityHandler } from '../application/explain-eligibility.handler.js';
import { RosterImportKind } from '../application/roster-import.kind.js';
import { RosterRepository } from '../persistence/roster.repository.js';

class StudentParam {
  @ApiProperty({ description: 'studentKey: HMAC of the resident ID number' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'key must be a studentKey (64 hex characters)' })
  key: string;
}

class EligibilityQuery {
  @ApiProperty({ example: '2020-autumn' })
  @Matches(/^\d{4}-(spring|autumn)$/, { message: 'term must look like 2020-autumn or 2020-spring' })
  term: string;
}

class RosterImportQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() importId?: string;
}

/**
 * The aid roster: imported as CSV or XLSX, kept by studentKey. Attributes that confer aid
 * (poverty, disability) are shown only to the roles that work with them.
 */
@ApiTags('roster')
@ApiBearerAuth()
@Controller('api')
export class RosterController {
  constructor(
    private readonly imports: ImportRunner,
    private readonly kind: RosterImportKind,
    private readonly roster: RosterRepository,
    private readonly explain: ExplainEligibilityHandler,
  ) {}

  /** Columns: id_number,name,county_code,school_code,stage,grade,boarder,bilingual,registered_poor,low_income,extreme_poverty,orphan,disability_level,special_education[,mongolian_kindergarten,new_entrant,out_of_province,term_fee]. */
  @Post('roster/import')
  @Roles('city_admin', 'county_operator')
  @ApiConsumes(
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'multipart/form-data',
  )
  async import(@Req() req: Request, @Query() q: RosterImportQuery, @CurrentUser() user: Principal) {
    return this.imports.run(this.kind, await readUpload(req), user, { importId: q.importId });
  }

  @Get('students/:key')
  @Roles('city_admin', 'county_operator', 'aid_auditor')
  async student(@Param() p: StudentParam, @CurrentUser() user: Principal) {
    const s = await this.roster.find(p.key, countyScope(user));
    if (!s) throw new NotFoundException('no such student on the roster');
    return { ...s, termFee: s.termFeeFen === null ? null : formatYuan(s.termFeeFen), termFeeFen: undefined };
  }

  @Get('students/:key/eligibility')
  @Roles('city_admin', 'county_operator', 'aid_auditor')
  async eligibility(@Param() p: StudentParam, @Query() q: EligibilityQuery, @CurrentUser() user: Principal) {
    const r = await this.explain.execute(p.key, q.term, user);
    return {
      ...r,
      verdicts: r.verdicts.map(({ amountFen, ...v }) => ({
        ...v,
        amount: amountFen === null ? null : formatYuan(amountFen),
      })),
    };
  }
}
