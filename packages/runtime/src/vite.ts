/**
 * Build-time entry (`@somkit/runtime/vite`): Vite plugins for somkit apps. No Node or browser APIs.
 */
export { tfjsWasmThreadsSource, type SourceTransformPlugin } from './tfjsWasmThreadsSource.js';
