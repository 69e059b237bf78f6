import 'reflect-metadata';
import { runService } from '@edu/service';
import { startConsole } from './console.app.js';
import { readConsoleConfig } from './console.config.js';

runService(() => startConsole(readConsoleConfig()));
