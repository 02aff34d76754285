// Bundled for Chromium by test/slow/upload-progress.test.ts: urql and Apollo Client, each uploading a
// file through the README's progress recipe (upload-progress.ts), with the typed documents.
import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { Client, fetchExchange } from '@urql/core';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { UploadPostMutation } from './operations.ts';
import { type UploadProgress, xhrFetch } from './upload-progress.ts';

export interface UploadRun {
  progress: UploadProgress[];
  post: { id: string; size: number; width: number | null } | null;
  error: string | null;
}

async function urqlUpload(url: string, token: string, file: File): Promise<UploadRun> {
  const client = new Client({
    url,
    exchanges: [fetchExchange],
    fetchOptions: () => ({ headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` } }),
  });
  const progress: UploadProgress[] = [];
  // The recipe: this one operation goes through XMLHttpRequest, reporting its progress.
  const result = await client
    .mutation(
      UploadPostMutation,
      { file, caption: 'with progress' },
      { fetch: (input, init) => xhrFetch(input, { ...init, onUploadProgress: (p) => progress.push(p) }) },
    )
    .toPromise();
  return { progress, post: result.data?.uploadPost ?? null, error: result.error?.message ?? null };
}

async function apolloUpload(url: string, token: string, file: File): Promise<UploadRun> {
  const client = new ApolloClient({
    link: ApolloLink.from([
      new SetContextLink((previous) => ({ headers: { ...previous.headers, authorization: `Bearer ${token}` } })),
      // The recipe: the link fetches through XMLHttpRequest; each operation may pass onUploadProgress.
      new UploadHttpLink({ uri: url, headers: { 'apollo-require-preflight': 'true' }, fetch: xhrFetch }),
    ]),
    cache: new InMemoryCache(),
  });
  const progress: UploadProgress[] = [];
  try {
    const result = await client.mutate({
      mutation: UploadPostMutation,
      variables: { file, caption: 'with progress' },
      context: { fetchOptions: { onUploadProgress: (p: UploadProgress) => progress.push(p) } },
    });
    return { progress, post: result.data?.uploadPost ?? null, error: null };
  } catch (error) {
    return { progress, post: null, error: String(error) };
  }
}

declare global {
  interface Window {
    uploadWith(client: 'urql' | 'apollo', url: string, token: string, fileUrl: string): Promise<UploadRun>;
  }
}

window.uploadWith = async (client, url, token, fileUrl) => {
  const bytes = await (await fetch(fileUrl)).blob();
  const file = new File([bytes], 'photo.jpg', { type: 'image/jpeg' });
  return client === 'urql' ? urqlUpload(url, token, file) : apolloUpload(url, token, file);
};
