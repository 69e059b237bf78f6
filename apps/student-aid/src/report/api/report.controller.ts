import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { CurrentUser, scopedCounty, type Principal } from '@edu/auth';
import { writeXlsx, XLSX_CONTENT_TYPE, type ExportColumn } from '@edu/imports';
import { Clock } from '@edu/service';
import { formatYuan } from '../../entitlement/domain/money.js';
import { TimelinessQuery, type TimelinessLine } from '../persistence/timeliness.query.js';

class TimelinessQueryDto {
  @ApiProperty({ example: '2020-autumn' })
  @Matches(/^\d{4}-(spring|autumn)$/, { message: 'term must look like 2020-autumn or 2020-spring' })
  term: string;
  @ApiPropertyOptional({ example: '150821' }) @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional({ enum: ['json', 'xlsx'] }) @IsOptional() @IsIn(['json', 'xlsx']) format?: string;
}

const rate = (l: TimelinessLine) =>
  l.entitlements === 0 ? 0 : Math.round((l.paidInFullOnTime / l.entitlements) * 10000) / 10000;

function view(l: TimelinessLine) {
  return {
    policyCode: l.policyCode,
    countyCode: l.countyCode,
    studentsEntitled: l.studentsEntitled,
    entitlements: l.entitlements,
    amountDue: formatYuan(l.amountDueFen),
    paidOnTime: formatYuan(l.paidOnTimeFen),
    paidLate: formatYuan(l.paidLateFen),
    short: formatYuan(l.shortFen),
    unpaid: formatYuan(l.unpaidFen),
    paidInFullOnTime: l.paidInFullOnTime,
    rateInFullOnTime: rate(l),
  };
}

const COLUMNS: ExportColumn<TimelinessLine>[] = [
  { header: '资助项目 policy', value: (l) => l.policyCode, width: 36 },
  { header: '旗县区 county', value: (l) => l.countyCode },
  { header: '应助学生 students entitled', value: (l) => l.studentsEntitled },
  { header: '应发金额 amount due', value: (l) => l.amountDueFen / 100 },
  { header: '按时发放 paid on time', value: (l) => l.paidOnTimeFen / 100 },
  { header: '逾期发放 paid late', value: (l) => l.paidLateFen / 100 },
  { header: '少发 short', value: (l) => l.shortFen / 100 },
  { header: '未发 unpaid', value: (l) => l.unpaidFen / 100 },
  { header: '及时足额率 rate paid in full on time', value: rate },
];

/** "Timely and in full" (及时足额): per policy and county, as JSON or an XLSX workbook. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportController {
  constructor(
    private readonly timeliness: TimelinessQuery,
    private readonly clock: Clock,
  ) {}

  @Get('timeliness')
  async report(
    @Query() q: TimelinessQueryDto,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const lines = await this.timeliness.lines(q.term, scopedCounty(user, q.county), this.clock.today());
    if (q.format !== 'xlsx') return lines.map(view);
    res.setHeader('content-type', XLSX_CONTENT_TYPE);
    res.setHeader('content-disposition', `attachment; filename="timeliness-${q.term}.xlsx"`);
    await writeXlsx(res, `及时足额 ${q.term}`, COLUMNS, lines);
    res.end();
    return undefined;
  }
}
