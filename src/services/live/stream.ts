// One open subscription's events on their way to the client: an async iterator graphql-js reads from,
// with a bounded buffer. Events wait here only while the client reads slower than they come; past
// `maxBuffered` the client is dropped (its stream errors and its connection is cut), so a reader that
// stopped holds at most that many small events (ids and rows), never blocking the others.
import type { AppError } from '../../errors.ts';

/** What a stream carries: an event, or an error to send as the last event before it completes. */
export type StreamItem<T> = { value: T } | { error: AppError };

export interface LiveStream<T> extends AsyncIterableIterator<StreamItem<T>> {
  /** Queues an event; false when the stream is closed. A full buffer drops the client. */
  push(value: T): boolean;
  /** Sends `error` as the last event (or nothing), then completes. */
  end(error?: AppError): void;
  readonly closed: boolean;
}

/** Thrown into graphql-js when a client fell too far behind: yoga cuts its connection. */
export class SlowConsumerError extends Error {
  constructor(maxBuffered: number) {
    super(`The client did not read its stream: more than ${maxBuffered} events waiting.`);
  }
}

export function createLiveStream<T>({
  maxBuffered,
  onClose,
  onSlowConsumer,
}: {
  maxBuffered: number;
  /** The client fell `maxBuffered` events behind: its connection is cut, which frees what it held. */
  onSlowConsumer: () => void;
  /** Called once, however the stream ends: the client left, `end`, or dropped. */
  onClose: () => void;
}): LiveStream<T> {
  const queue: StreamItem<T>[] = [];
  let waiting: { resolve: (result: IteratorResult<StreamItem<T>>) => void; reject: (error: Error) => void } | null =
    null;
  /** No more events are taken; the queue is still read out (an ending error included). */
  let ending = false;
  let failure: Error | null = null;
  let closed = false;

  function close() {
    if (closed) return;
    closed = true;
    ending = true;
    onClose();
  }

  function deliver(item: StreamItem<T>) {
    if (waiting) {
      const { resolve } = waiting;
      waiting = null;
      resolve({ value: item, done: false });
    } else {
      queue.push(item);
    }
  }

  const stream: LiveStream<T> = {
    get closed() {
      return ending;
    },
    push(value) {
      if (ending) return false;
      if (queue.length >= maxBuffered) {
        failure = new SlowConsumerError(maxBuffered);
        queue.length = 0;
        close();
        onSlowConsumer();
        return false;
      }
      deliver({ value });
      return true;
    },
    end(error) {
      if (ending) return;
      if (error) deliver({ error });
      ending = true;
      onClose();
      closed = true;
      if (waiting && queue.length === 0) {
        const { resolve } = waiting;
        waiting = null;
        resolve({ value: undefined, done: true });
      }
    },
    next() {
      const item = queue.shift();
      if (item) return Promise.resolve({ value: item, done: false });
      if (failure) {
        // Thrown once: the stream is over after it.
        const thrown = failure;
        failure = null;
        return Promise.reject(thrown);
      }
      if (ending) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      queue.length = 0;
      close();
      if (waiting) {
        waiting.resolve({ value: undefined, done: true });
        waiting = null;
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error) {
      queue.length = 0;
      close();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
