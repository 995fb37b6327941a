export { ascii, ASCII_RENDERER, type AsciiOptions, type AsciiRenderer } from './ascii.js';
