import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CurrentUser, Roles, type Principal } from '@edu/auth';
import { CalendarService } from '../application/calendar.service.js';
import { EditCalendarHandler } from '../application/edit-calendar.handler.js';
import { CalendarRepository } from '../persistence/calendar.repository.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class YearQuery {
  @ApiProperty({ example: 2020 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
}

class WorkingDaysQuery {
  @ApiProperty({ example: '2020-09-30' }) @Matches(DATE) from: string;
  @ApiPropertyOptional({
    example: '2020-10-14',
    description: 'count the working days after from, up to this date',
  })
  @IsOptional()
  @Matches(DATE)
  to?: string;
  @ApiPropertyOptional({ example: 5, description: 'or: the date this many working days after from' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(366)
  add?: number;
}

class CalendarDayDto {
  @ApiProperty({ enum: ['holiday', 'workday'], description: 'holiday, or a weekend day worked (调休)' })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';
  @ApiProperty({ example: '国庆节' }) @IsString() @IsNotEmpty() @MaxLength(40) name: string;
}

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly days: CalendarRepository,
    private readonly calendar: CalendarService,
    private readonly edit: EditCalendarHandler,
  ) {}

  /** The year's exceptions to Monday-Friday: public holidays and make-up working days. */
  @Get('days')
  async year(@Query() q: YearQuery) {
    return { year: q.year, days: await this.days.year(q.year) };
  }

  @Get('working-days')
  async workingDays(@Query() q: WorkingDaysQuery) {
    const c = await this.calendar.calendar();
    return {
      from: q.from,
      ...(q.to ? { to: q.to, workingDays: c.workingDaysBetween(q.from, q.to) } : {}),
      ...(q.add !== undefined ? { add: q.add, date: c.addWorkingDays(q.from, q.add) } : {}),
    };
  }

  @Put('days/:date')
  @Roles('city_admin')
  put(@Param('date') date: string, @Body() dto: CalendarDayDto, @CurrentUser() user: Principal) {
    return this.edit.put(date, dto.kind, dto.name, user.sub);
  }

  @Delete('days/:date')
  @HttpCode(204)
  @Roles('city_admin')
  async remove(@Param('date') date: string) {
    await this.edit.remove(date);
  }
}
