import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CHANNELS, NOTICE_KINDS, type Channel } from '@edu/contracts';
import { effectiveTemplate, type NoticeTemplate } from '../../domain/notice-template.js';

export class ListNoticeTemplatesQuery {
  @ApiPropertyOptional({ enum: NOTICE_KINDS }) @IsOptional() @IsIn(NOTICE_KINDS) kind?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: Channel;
}

/** A new version of a notice template. */
export class DefineNoticeTemplateDto {
  @ApiProperty({ enum: NOTICE_KINDS }) @IsIn(NOTICE_KINDS) kind: string;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel: Channel;

  @ApiPropertyOptional({
    description: 'When it takes effect (default: now)',
    example: '2020-07-01T00:00:00+08:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string;

  @ApiPropertyOptional({
    description: 'Email only',
    example: '【督办提醒】{countyName}{frontName}工作{itemCount}项问题逾期未整改',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subject?: string;

  @ApiProperty({
    description:
      'The text with {placeholders}: cityName, countyName, frontName, itemCount, level, escalationId, ' +
      'recipientName, recipientTitle, {amountClause}; SMS also {signName}',
  })
  @IsString()
  @Length(1, 5000)
  body: string;

  @ApiPropertyOptional({
    description: 'SMS only: the provider’s template code (Aliyun TemplateCode, Tencent TemplateId)',
    example: 'SMS_154950909',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  providerTemplateCode?: string;

  @ApiPropertyOptional({
    description: 'SMS only: the registered signature, without 【】',
    example: '巴彦淖尔市教育局',
  })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  signName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class NoticeTemplateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty() version: number;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty({ description: 'The version in effect now for its kind and channel' }) inEffect: boolean;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) providerTemplateCode: string | null;
  @ApiProperty({ nullable: true, type: String }) signName: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
}

export function noticeTemplateViews(templates: NoticeTemplate[], now: Date): NoticeTemplateView[] {
  const inEffect = new Set(
    templates
      .map((t) => effectiveTemplate(templates, t.kind, t.channel, now)?.id)
      .filter((id): id is string => id !== undefined),
  );
  return templates.map((t) => ({
    ...t,
    effectiveFrom: t.effectiveFrom.toISOString(),
    createdAt: t.createdAt.toISOString(),
    inEffect: inEffect.has(t.id),
  }));
}
