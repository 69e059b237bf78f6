import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBase64,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { COUNTY_CODE } from './common.js';

/**
 * What a notice is: the three rungs of the escalation ladder (督办提醒, 约谈通知, 追责问责建议),
 * the minutes of an interview held (约谈纪要), and the reminder that the written report on
 * the follow-up an interview's minutes asked for is due (整改落实情况报送提醒).
 *
 * Kinds are only ever added within v1, never renamed or removed, so every v1 message ever
 * sent stays valid. A consumer that predates a kind dead-letters a message of that kind
 * (nothing is lost; it can be replayed), so a consumer is deployed before the producer that
 * sends a new kind. Changing what a field means would be v2.
 */
export const NOTICE_KINDS = [
  'supervision_notice',
  'interview_notice',
  'accountability_recommendation',
  'interview_minutes',
  'follow_up_reminder',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const CHANNELS = ['sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** An official to be told; the only event that carries contact details. */
export class NoticeRecipient {
  @IsString() officialId: string;
  @IsString() name: string;
  @IsString() title: string;
  @IsOptional() @Matches(/^\+?\d{5,15}$/) phone?: string;
  @IsOptional() @IsEmail() email?: string;
}

/** A generated document (the interview notice, the minutes, the recommendation) to attach to the email. */
export class NoticeAttachment {
  @Matches(/^[^/\\]{1,120}$/) filename: string;
  @IsIn(['application/pdf', 'text/html']) contentType: string;
  /** At most ~1 MB once decoded. */
  @IsBase64() @MaxLength(1_400_000) contentBase64: string;
}

/**
 * `notification.requested.v1` — supervision asks for a notice to reach one official.
 * `params` fill the notice template; they hold counts, amounts and names of places and
 * officials, never a student's name or resident ID number.
 */
export class NotificationRequestedV1 {
  @IsUUID() requestId: string;
  @IsIn(NOTICE_KINDS) kind: NoticeKind;
  @IsUUID() escalationId: string;
  @Matches(COUNTY_CODE) countyCode: string;
  @ValidateNested() @Type(() => NoticeRecipient) recipient: NoticeRecipient;
  @IsArray() @ArrayNotEmpty() @IsIn(CHANNELS, { each: true }) channels: Channel[];
  @IsObject() params: Record<string, string | number>;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NoticeAttachment)
  attachments?: NoticeAttachment[];
}
