import { AuditLog1764500000000 } from '@edu/audit';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { Notifications1764400005000 } from './1764400005000-notifications.js';
import { NotificationsComplete1764400007000 } from './1764400007000-notifications-complete.js';

/** In order; a committed migration is never edited. */
export const migrations = [
  MessagingTables1764400000000,
  Notifications1764400005000,
  NotificationsComplete1764400007000,
  AuditLog1764500000000,
];
