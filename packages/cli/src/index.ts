export { main, commands, type Command } from './main.js';
export { processIo, memoryIo, type Io } from './Io.js';
export { CliError } from './CliError.js';
