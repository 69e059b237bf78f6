import { MessagingTables1764400000000 } from '@edu/messaging';
import { Projects1764400001000 } from './1764400001000-projects.js';

/** In order; a committed migration is never edited. */
export const migrations = [MessagingTables1764400000000, Projects1764400001000];
