/** Produces UUID v7 ids: time-ordered, so they double as a stable sort key. */
export interface IdGenerator {
  next(): string;
}
