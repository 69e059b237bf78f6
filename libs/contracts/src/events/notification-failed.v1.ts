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
   * Set when the same notice is now being sent over the other channel: the request's message
   * there, asked for from the start and not failed yet (waiting, being sent, or sent with no
   * final outcome), or a fallback made on this failure (SMS failed → email, or the reverse).
   * The notice has not failed yet, only this channel has. Absent: no other message of this
   * request may still reach the official and nothing more will be tried — the notice failed,
   * unless another of its messages was already delivered.
   */
  @IsOptional() @IsUUID() fallbackNotificationId?: string;
}
