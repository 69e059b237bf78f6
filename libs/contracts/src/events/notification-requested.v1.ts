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

export const NOTICE_KINDS = [
  'supervision_notice',
  'interview_notice',
  'accountability_recommendation',
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

/** A generated document (the interview notice, the minutes) to attach to the email. */
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
