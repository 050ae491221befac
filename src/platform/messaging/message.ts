/** A message as it travels on any transport: plain JSON plus string headers. */
export interface Message {
  readonly messageId: string;
  readonly type: string;
  readonly correlationId: string;
  readonly timestamp: Date;
  /** `causation-id`, `aggregate-id`, `aggregate-version`, `traceparent`, `retry-count`, … */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A message received from a queue, with how many times it has been delivered so far. */
export interface Delivery extends Message {
  readonly queue: string;
  readonly deliveryCount: number;
}
