import { v7 } from 'uuid';

/** UUIDv7: time-ordered, so ids sort by creation and index well; unique across devices for sync. */
export function newId(): string {
  return v7();
}
