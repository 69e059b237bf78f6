import { AuditLog1764500000000 } from '@edu/audit';
import { ImportTables1764400000500 } from '@edu/imports';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { DropoutCases1764400001000 } from './1764400001000-dropout-cases.js';
import { DropoutLedger1764400002000 } from './1764400002000-dropout-ledger.js';
import { RegistryImportLine1764400003000 } from './1764400003000-registry-import-line.js';
import { CrosscheckChildPartitions1764600000000 } from './1764600000000-crosscheck-child-partitions.js';

/** In order; a committed migration is never edited. */
export const migrations = [
  MessagingTables1764400000000,
  ImportTables1764400000500,
  DropoutCases1764400001000,
  DropoutLedger1764400002000,
  RegistryImportLine1764400003000,
  AuditLog1764500000000,
  CrosscheckChildPartitions1764600000000,
];
