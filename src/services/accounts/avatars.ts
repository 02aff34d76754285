// Avatars: an uploaded image, stripped like a post's and cropped to a centred square of at most
// 1024 pixels, stored through the same backend as posts. A new one replaces the old, whose file goes
// with the change; every change is published, so cached feed pages (which carry their authors) drop.
import { randomUUID } from 'node:crypto';
import type { User } from '../../db/index.ts';
import { accountGone } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { UploadLimits } from '../../infra/rate-limits/upload-limits.ts';
import type { MediaStorage, StoredRef } from '../../infra/storage/types.ts';
import type { Logger } from '../../logger.ts';
import { receiveUpload } from '../posts/media.ts';
import type { MediaProcessor } from '../posts/media-processing.ts';
import { type IncomingUpload, putFile } from '../posts/posts.ts';

/** The columns that say where a user's avatar is. */
export const avatarColumns = { avatarStorage: true, avatarKey: true, avatarFileId: true } as const;

type AvatarColumns = Pick<User, 'avatarStorage' | 'avatarKey' | 'avatarFileId'>;

/** The stored file of an avatar, if there is one. */
export function avatarFilesOf(user: AvatarColumns | null): StoredRef[] {
  if (!user?.avatarStorage || !user.avatarKey) return [];
  return [{ storage: user.avatarStorage, storageKey: user.avatarKey, fileId: user.avatarFileId }];
}

export interface AvatarsDeps {
  storage: MediaStorage;
  fileRemovals: FileRemovals;
  uploadLimits: UploadLimits;
  processor: MediaProcessor;
  changes: Changes;
  logger: Logger;
}

// Two changes of one avatar at once: the slower finds the row changed under it and reads it again.
const MAX_ATTEMPTS = 5;
class AvatarChanged extends Error {}

export function createAvatarsService({ storage, fileRemovals, uploadLimits, processor, changes, logger }: AvatarsDeps) {
  /**
   * Sets the user's avatar columns to `next` (none when null) in a transaction that records the old
   * file's removal, if the row still holds what was read: so of two changes at once, each old file is
   * removed exactly once and the newer file is never lost. `inTransaction` runs in the same transaction.
   */
  async function replace(
    userId: string,
    next: StoredRef | null,
    inTransaction?: (tx: Parameters<Parameters<FileRemovals['deleteWithFiles']>[0]>[0]) => Promise<unknown>,
  ): Promise<User> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fileRemovals.deleteWithFiles(
          async (tx) => {
            const before = await tx.user.findUnique({ where: { id: userId }, select: avatarColumns });
            if (!before) throw accountGone();
            const { count } = await tx.user.updateMany({
              where: { id: userId, ...before },
              data: {
                avatarStorage: next?.storage ?? null,
                avatarKey: next?.storageKey ?? null,
                avatarFileId: next?.fileId ?? null,
              },
            });
            if (count === 0) throw new AvatarChanged();
            await inTransaction?.(tx);
            const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
            return { result: user, files: avatarFilesOf(before) };
          },
          { committed: () => changes.publish({ type: 'user', userId }) },
        );
      } catch (error) {
        if (!(error instanceof AvatarChanged) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Processes the image to a square, stores it and sets it as the user's avatar; answers the user and the bytes stored. */
  async function store(viewer: Pick<User, 'id'>, upload: IncomingUpload): Promise<{ user: User; stored: number }> {
    const received = await receiveUpload(upload.stream);
    const media = await processor.square(upload.path(), received);
    try {
      const name = { name: `${randomUUID()}.${media.ext}`, ownerId: viewer.id };
      const record = await fileRemovals.recordUpload({
        storage: storage.name,
        storageKey: storage.keyFor(name),
        fileId: null,
      });
      let stored: StoredRef;
      try {
        const {
          storage: backend,
          storageKey,
          fileId,
        } = await putFile(storage, logger, {
          ...name,
          path: media.path,
          mimeType: media.mimeType,
        });
        stored = { storage: backend, storageKey, fileId };
      } catch (error) {
        await fileRemovals.uploadFailed(record, error);
        throw error;
      }
      try {
        const user = await replace(viewer.id, stored, (tx) => tx.fileRemoval.delete({ where: { id: record.id } }));
        return { user, stored: media.size };
      } catch (error) {
        // The account went meanwhile, or the row could not be written: the new file goes.
        await fileRemovals.abandonUpload({ ...record, media: stored });
        throw error;
      }
    } finally {
      await media.discard();
    }
  }

  return {
    /**
     * Stores an uploaded image as the user's avatar, replacing (and removing) the old one. Counts as an
     * upload against the user's limits; UNSUPPORTED_MEDIA_TYPE for anything but an accepted image.
     */
    async upload(viewer: Pick<User, 'id'>, upload: IncomingUpload): Promise<User> {
      const allowance = await uploadLimits.begin(viewer.id);
      await allowance.reserve(upload.declaredBytes);
      try {
        const user = await store(viewer, upload);
        await allowance.stored(user.stored);
        return user.user;
      } catch (error) {
        await allowance.failed();
        throw error;
      }
    },

    /** Removes the user's avatar and its file; a user without one is returned as is. */
    remove: (viewer: Pick<User, 'id'>): Promise<User> => replace(viewer.id, null),
  };
}

export type AvatarsService = ReturnType<typeof createAvatarsService>;
