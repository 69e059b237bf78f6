import { MessagingTables1764400000000 } from '@edu/messaging';
import { DropoutCases1764400001000 } from './1764400001000-dropout-cases.js';

/** In order; a committed migration is never edited. */
export const migrations = [MessagingTables1764400000000, DropoutCases1764400001000];
