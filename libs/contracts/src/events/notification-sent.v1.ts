import { IsIn, IsInt, IsOptional, IsString, IsUUID, Min } from 'class-validator';

/** `notification.sent.v1` — a message was accepted by the SMS centre or mail server. */
export class NotificationSentV1 {
  @IsUUID() notificationId: string;
  @IsUUID() requestId: string;
  @IsIn(['sms', 'email']) channel: string;
  @IsString() officialId: string;
  @IsOptional() @IsString() providerMessageId?: string;
  @IsInt() @Min(1) attempt: number;
}
