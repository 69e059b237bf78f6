import { AuditLog1764500000000 } from '@edu/audit';
import { ImportTables1764400000500 } from '@edu/imports';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { Projects1764400001000 } from './1764400001000-projects.js';
import { ConstructionComplete1764400008000 } from './1764400008000-construction-complete.js';

/** In order; a committed migration is never edited. */
export const migrations = [
  MessagingTables1764400000000,
  ImportTables1764400000500,
  Projects1764400001000,
  ConstructionComplete1764400008000,
  AuditLog1764500000000,
];
