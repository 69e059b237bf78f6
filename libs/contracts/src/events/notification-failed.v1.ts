import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';
import { COUNTY_CODE } from './common.js';
import { NOTICE_KINDS, type NoticeKind } from './notification-requested.v1.js';

/** `notification.failed.v1` — a message could not be sent and will not be retried. */
export class NotificationFailedV1 {
  @IsUUID() notificationId: string;
  @IsUUID() requestId: string;
  @IsIn(['sms', 'email']) channel: string;
  @IsString() officialId: string;
  @IsInt() @Min(1) attempt: number;
  @IsString() reason: string;
  /** The notice's kind, escalation and county, so supervision can act on a failed interview notice. */
  @IsOptional() @IsIn(NOTICE_KINDS) kind?: NoticeKind;
  @IsOptional() @IsUUID() escalationId?: string;
  @IsOptional() @Matches(COUNTY_CODE) countyCode?: string;
  /**
   * Set when the same notice is now being sent over the other channel (SMS failed → email, or
   * the reverse): the notice has not failed yet, only this channel has. Absent: nothing more
   * will be tried for this request on this failure.
   */
  @IsOptional() @IsUUID() fallbackNotificationId?: string;
}
