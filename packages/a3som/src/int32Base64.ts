/** The one copy lives in `@somkit/geometry` (beside the float32 and byte forms). */
export { int32ToBase64, base64ToInt32 } from '@somkit/geometry';
