// Avatars (issue 17): User.avatarUrl, and the viewer's uploadAvatar and deleteAvatar.
import { builder } from '../builder.ts';
import { AVATAR_MAX_SIDE } from '../services/posts/media-processing.ts';
import { receivedUpload } from './upload.ts';
import { asSelected, UserRef } from './user.ts';

// Like Post.url: a size outside the range is clamped, not refused.
const MAX_AVATAR_SIZE = 4096;

builder.objectField(UserRef, 'avatarUrl', (t) =>
  t.string({
    nullable: true,
    description: `The avatar, a square image (at most ${AVATAR_MAX_SIDE} pixels a side); null when there is none. With size, a square of about that many pixels: on local storage the smallest rung of the ladder (160, 320, 640, 1080, 1440, 2048) at least that wide, never enlarged; on ImageKit a URL transformation.`,
    args: {
      size: t.arg.int({
        required: false,
        description: `Pixels a side, 1 to ${MAX_AVATAR_SIZE}; outside that range it is clamped.`,
      }),
    },
    resolve: (user, { size }, context) => {
      if (!user.avatarStorage || !user.avatarKey) return null;
      const side = size == null ? null : Math.min(MAX_AVATAR_SIZE, Math.max(1, size));
      return context.services.storage.url(
        {
          storage: user.avatarStorage,
          storageKey: user.avatarKey,
          fileId: user.avatarFileId,
          fileType: 'IMAGE',
          // Avatars are stored at most this size: a smaller picture's rung URLs serve the picture itself.
          width: AVATAR_MAX_SIDE,
          height: AVATAR_MAX_SIDE,
        },
        { width: side, height: side },
      );
    },
  }),
);

builder.mutationFields((t) => ({
  uploadAvatar: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      'Sets the viewer’s avatar from an image (JPEG, PNG, GIF, WebP, AVIF, HEIC; a GraphQL multipart request with an apollo-require-preflight header): stored without its metadata, upright, cropped to a centred square of at most 1024 pixels. Replaces the old one, whose file is removed. Counts as an upload (UPLOAD_MAX_PER_HOUR, the daily byte quota). Errors: UNSUPPORTED_MEDIA_TYPE (not an image, or over IMAGE_MAX_PIXELS), PAYLOAD_TOO_LARGE, RATE_LIMITED, STORAGE_UNAVAILABLE.',
    args: {
      file: t.arg({ type: 'Upload', required: true, description: 'The image; its type is decided from its bytes.' }),
    },
    resolve: async (query, _root, args, context) => {
      const { maxUploadBytes } = context.services.config;
      const upload = await receivedUpload(args.file, maxUploadBytes, context.uploadBytes ?? maxUploadBytes);
      const user = await context.services.avatars.upload(context.viewer, upload);
      return asSelected(context, query, user);
    },
  }),
  deleteAvatar: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description: 'Removes the viewer’s avatar and its file (nothing happens without one). Signed in.',
    resolve: async (query, _root, _args, context) =>
      asSelected(context, query, await context.services.avatars.remove(context.viewer)),
  }),
}));
