import { AuditLog1764500000000 } from '@edu/audit';
import { ImportTables1764400000500 } from '@edu/imports';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { Entitlements1764400001000 } from './1764400001000-entitlements.js';
import { AidCatalogue1764400005000 } from './1764400005000-aid-catalogue.js';

/** In order; a committed migration is never edited. */
export const migrations = [
  MessagingTables1764400000000,
  ImportTables1764400000500,
  Entitlements1764400001000,
  AidCatalogue1764400005000,
  AuditLog1764500000000,
];
