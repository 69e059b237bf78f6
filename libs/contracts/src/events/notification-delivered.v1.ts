import { IsIn, IsISO8601, IsString, IsUUID } from 'class-validator';

/** `notification.delivered.v1` — a delivery receipt confirmed the message reached the recipient. */
export class NotificationDeliveredV1 {
  @IsUUID() notificationId: string;
  @IsUUID() requestId: string;
  @IsIn(['sms', 'email']) channel: string;
  @IsString() officialId: string;
  @IsISO8601() deliveredAt: string;
}
