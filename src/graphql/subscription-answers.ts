// A subscription refused before its stream starts (no viewer, a limit, a bad argument) answers a
// single event with the error, then `complete`, on a 200 stream. graphql-js gives that result without
// `data`, which yoga takes for an unexpected failure and answers 500; with `data: null`, as a query's
// failed root field has, it is the expected refusal it is.
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export function useSubscriptionAnswers(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result) || 'data' in result || !result.errors?.length) return;
          setResult({ ...result, data: null });
        },
      };
    },
  };
}
