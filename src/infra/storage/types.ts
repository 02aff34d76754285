// One interface, two implementations: local disk (the default) and ImageKit.
export type StorageName = 'local' | 'imagekit';

/** Where a new file will be stored: ours, not the client's name, in the owner's place. */
export interface MediaName {
  /** The name the file gets in storage: a fresh UUID and the extension of its type. */
  name: string;
  ownerId: string;
}

/** A complete file already on local disk (the upload's temp file), ready to be handed to storage. */
export interface IncomingMedia extends MediaName {
  path: string;
  mimeType: string;
}

export interface StoredMedia {
  storage: StorageName;
  storageKey: string;
  fileId: string | null;
  width?: number | null;
  height?: number | null;
  duration?: number | null;
}

export interface MediaRef {
  storage: StorageName;
  storageKey: string;
  fileId: string | null;
  fileType: 'IMAGE' | 'VIDEO';
  /** As displayed; null when not known (a post from before they were measured). */
  width?: number | null;
  height?: number | null;
  /** A local video's poster frame (its storage key), if one was made. */
  posterKey?: string | null;
}

/** What identifies a stored file: the backend that holds it and its key (and ImageKit's fileId) there. */
export type StoredRef = Pick<MediaRef, 'storage' | 'storageKey' | 'fileId'>;

export interface Transform {
  width?: number | null;
  height?: number | null;
}

export interface MediaStorage {
  readonly name: StorageName;
  /** The storageKey put() will store the file under, known before it runs (for the cleanup record). */
  keyFor(media: MediaName): string;
  /** Stores a copy of the file (a hard link where possible); the file itself stays the caller's. */
  put(media: IncomingMedia): Promise<StoredMedia>;
  /** Removes a stored file; a file that is already gone counts as removed. */
  remove(media: StoredRef): Promise<void>;
  url(media: MediaRef, transform?: Transform): string;
  /** A still preview for an <img>, or null when the backend has none (a local video without a poster). */
  thumbnailUrl(media: MediaRef): string | null;
  /** An <img srcset> of the image at the ladder's widths (src/infra/media/ladder.ts); null for videos. */
  srcSet(media: MediaRef): string | null;
}
