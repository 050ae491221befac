import { AsyncLocalStorage } from 'node:async_hooks';

/** Who caused the work now running: carried onto every event it emits. */
export interface MessageContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly traceparent?: string;
}

const storage = new AsyncLocalStorage<MessageContext>();

export const messageContext = {
  run<T>(context: MessageContext, work: () => Promise<T>): Promise<T> {
    return storage.run(context, work);
  },
  current(): MessageContext | undefined {
    return storage.getStore();
  },
};
