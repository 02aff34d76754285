// The README's upload-progress recipe: fetch cannot report how much of a request body has been sent,
// XMLHttpRequest can (xhr.upload's progress events). This is a fetch, built on XMLHttpRequest, that
// GraphQL clients take in place of the global one; test/slow/upload-progress.test.ts runs it in
// Chromium with urql and with Apollo Client.

export interface UploadProgress {
  /** Bytes of the request body sent so far, and in all. */
  loaded: number;
  total: number;
}

/** RequestInit plus the callback: Apollo passes its context's fetchOptions through to fetch as they are. */
export type ProgressInit = RequestInit & { onUploadProgress?: (progress: UploadProgress) => void };

/** The response headers XMLHttpRequest gives as one string, as a Headers object. */
function headersOf(xhr: XMLHttpRequest): Headers {
  const headers = new Headers();
  for (const line of xhr
    .getAllResponseHeaders()
    .trim()
    .split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** fetch over XMLHttpRequest, calling init.onUploadProgress as the body goes out. */
export function xhrFetch(input: RequestInfo | URL, init: ProgressInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method ?? 'GET', input instanceof Request ? input.url : String(input));
    new Headers(init.headers).forEach((value, name) => {
      xhr.setRequestHeader(name, value);
    });
    const { onUploadProgress } = init;
    if (onUploadProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onUploadProgress({ loaded: event.loaded, total: event.total });
      };
    }
    xhr.onload = () =>
      resolve(
        new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers: headersOf(xhr) }),
      );
    xhr.onerror = () => reject(new TypeError('Network request failed'));
    xhr.onabort = () => reject(new DOMException('The upload was aborted.', 'AbortError'));
    init.signal?.addEventListener('abort', () => xhr.abort());
    // A FormData body (a GraphQL multipart request) is sent as the browser encodes it, boundary included.
    xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
  });
}
