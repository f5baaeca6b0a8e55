export {
  enqueueCompletion,
  submitCompletion,
  flushOutbox,
  startOutbox,
  getOutbox,
  subscribeOutbox,
  newIdempotencyKey,
  OUTBOX_STORAGE_KEY,
  type OutboxItem,
  type OutboxEvent,
  type FlushResult,
  type SubmitResult,
} from './outbox';
export { useOnline } from './useOnline';
export { useOutbox, useOutboxEvents } from './useOutbox';
export { OfflineBanner } from './OfflineBanner';
