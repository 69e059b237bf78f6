import { AuditLog1764500000000 } from '@edu/audit';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { DirectoryAndEscalations1764400004000 } from './1764400004000-directory-and-escalations.js';
import { SupervisionComplete1764400006000 } from './1764400006000-supervision-complete.js';
import { ReopenedItems1764400008000 } from './1764400008000-reopened-items.js';
import { InterviewNotices1764400009000 } from './1764400009000-interview-notices.js';
import { ItemBreachTimes1764600000000 } from './1764600000000-item-breach-times.js';

/** In order; a committed migration is never edited. */
export const migrations = [
  MessagingTables1764400000000,
  DirectoryAndEscalations1764400004000,
  SupervisionComplete1764400006000,
  ReopenedItems1764400008000,
  InterviewNotices1764400009000,
  AuditLog1764500000000,
  ItemBreachTimes1764600000000,
];
