import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FRONT_NAMES } from '../../directory/domain/front.js';
import type { AccountabilityProps } from '../domain/accountability-recommendation.js';
import { interviewNumber, yuan } from '../domain/documents.js';
import { INTERVIEW_STATUSES, type Interview, type IssueLine } from '../domain/interview.js';

export class ListInterviewsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional({ enum: INTERVIEW_STATUSES }) @IsOptional() @IsIn(INTERVIEW_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class ListRecommendationsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export class DocumentQuery {
  @ApiPropertyOptional({ enum: ['pdf', 'html'] }) @IsOptional() @IsIn(['pdf', 'html']) format:
    'pdf' | 'html' = 'pdf';
}

class PersonDto {
  @ApiProperty({ example: '冯刚' }) @IsString() @IsNotEmpty() @MaxLength(40) name: string;
  @ApiProperty({ example: '市教育局局长' }) @IsString() @IsNotEmpty() @MaxLength(80) title: string;
}

export class RescheduleInterviewDto {
  @ApiProperty({ example: '2020-11-06T01:00:00Z' }) @IsISO8601() scheduledAt: string;
  @ApiProperty({ example: '市教育局三楼会议室' }) @IsString() @IsNotEmpty() @MaxLength(100) place: string;
  @ApiPropertyOptional({ type: PersonDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonDto)
  interviewer?: PersonDto;
}

export class HoldInterviewDto {
  @ApiProperty({ example: '2020-11-06T01:00:00Z' }) @IsISO8601() heldAt: string;
  @ApiPropertyOptional({ type: [String], example: ['五原县教育局分管副局长'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  attendees?: string[];
}

export class RecordMinutesDto {
  @ApiProperty({
    description: 'what was said; goes into the minutes document, so it names officials, never a student',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  summary: string;
  @ApiProperty({ type: [String], description: 'the commitments (整改承诺), one each' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  commitments: string[];
  @ApiProperty({
    example: '2020-11-30',
    description:
      "the day the county's written follow-up report is due; it is reminded of the policy's working days before",
  })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  followUpDueOn: string;
}

const issueView = (i: IssueLine) => ({
  kind: i.kind,
  name: i.name,
  count: i.count,
  amount: yuan(i.amountFen),
});

export function interviewView(interview: Interview) {
  const s = interview.state;
  const base = `/api/interviews/${s.id}/documents`;
  return {
    id: s.id,
    number: interviewNumber(s),
    escalationId: s.escalationId,
    countyCode: s.countyCode,
    countyName: s.countyName,
    front: s.front,
    frontName: FRONT_NAMES[s.front],
    breachType: s.breachType,
    status: s.status,
    subject: s.subject,
    interviewees: s.interviewees,
    interviewer: s.interviewer,
    issues: s.issues.map(issueView),
    recurrence: s.recurrence,
    urgent: s.urgent,
    scheduledAt: s.scheduledAt,
    place: s.place,
    noticedAt: s.noticedAt,
    heldAt: s.heldAt,
    attendees: s.attendees,
    minutes: s.minutes,
    minutesRecordedAt: s.minutesRecordedAt,
    followUpDueOn: s.followUpDueOn,
    followUpRemindOn: s.followUpRemindOn,
    followUpRemindedAt: s.followUpRemindedAt,
    documents: {
      notice: { pdf: `${base}/notice?format=pdf`, html: `${base}/notice?format=html` },
      ...(s.minutes
        ? { minutes: { pdf: `${base}/minutes?format=pdf`, html: `${base}/minutes?format=html` } }
        : {}),
    },
  };
}

export function recommendationView(r: AccountabilityProps) {
  const base = `/api/accountability-recommendations/${r.id}/document`;
  return {
    ...r,
    frontName: FRONT_NAMES[r.front],
    issues: r.issues.map(issueView),
    documents: { pdf: `${base}?format=pdf`, html: `${base}?format=html` },
  };
}
