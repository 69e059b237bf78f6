import { IsIn, IsInt, IsString, IsUUID, Min } from 'class-validator';

/** `notification.failed.v1` — a message could not be sent and will not be retried. */
export class NotificationFailedV1 {
  @IsUUID() notificationId: string;
  @IsUUID() requestId: string;
  @IsIn(['sms', 'email']) channel: string;
  @IsString() officialId: string;
  @IsInt() @Min(1) attempt: number;
  @IsString() reason: string;
}
