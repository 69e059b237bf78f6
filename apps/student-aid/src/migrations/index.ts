import { MessagingTables1764400000000 } from '@edu/messaging';
import { Entitlements1764400001000 } from './1764400001000-entitlements.js';

/** In order; a committed migration is never edited. */
export const migrations = [MessagingTables1764400000000, Entitlements1764400001000];
