// One interface, two implementations: local disk (the default) and ImageKit.
export type StorageName = 'local' | 'imagekit';

/** A file already on local disk (a spool file), ready to be handed to storage. */
export interface IncomingMedia {
  path: string;
  /** The name the file gets in storage; ours, not the client's. */
  name: string;
  mimeType: string;
  ownerId: string;
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
  storage: string;
  storageKey: string;
  fileId: string | null;
  fileType: 'IMAGE' | 'VIDEO';
}

/** What identifies a stored file: the backend that holds it and its key (and ImageKit's fileId) there. */
export type StoredRef = Pick<MediaRef, 'storage' | 'storageKey' | 'fileId'>;

export interface Transform {
  width?: number | null;
  height?: number | null;
}

export interface MediaStorage {
  readonly name: StorageName;
  /** Takes ownership of the spooled file (moves or uploads it). The caller removes what is left. */
  put(media: IncomingMedia): Promise<StoredMedia>;
  /** Removes a stored file; a file that is already gone counts as removed. */
  remove(media: StoredRef): Promise<void>;
  url(media: MediaRef, transform?: Transform): string;
  thumbnailUrl(media: MediaRef): string;
}
