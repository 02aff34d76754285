// Query.uploadLimits: the rules an upload is held to, so a client can tell before it fails on them.
import { builder } from '../builder.ts';
import { ACCEPTED_MIME_TYPES } from '../services/posts/media.ts';
import { MAX_CAPTION_LENGTH } from '../services/posts/posts.ts';

interface UploadLimitsAnswer {
  maxBytes: number;
  remainingUploadsThisHour: number | null;
  remainingBytesToday: number | null;
}

const UploadLimitsRef = builder.objectRef<UploadLimitsAnswer>('UploadLimits').implement({
  description: 'What uploadPost (and uploadAvatar) accept now, for the viewer.',
  fields: (t) => ({
    maxBytes: t.exposeFloat('maxBytes', {
      description: 'The largest file uploadPost takes, in bytes (MAX_UPLOAD_BYTES); larger is PAYLOAD_TOO_LARGE.',
    }),
    acceptedMimeTypes: t.stringList({
      description:
        'The types a file may be, decided from its bytes (anything else is UNSUPPORTED_MEDIA_TYPE). HEIC is stored and served as JPEG.',
      resolve: () => ACCEPTED_MIME_TYPES,
    }),
    captionMaxLength: t.int({
      description: 'The longest caption, in characters.',
      resolve: () => MAX_CAPTION_LENGTH,
    }),
    remainingUploadsThisHour: t.exposeInt('remainingUploadsThisHour', {
      nullable: true,
      description: 'Uploads the viewer may still start this hour (UPLOAD_MAX_PER_HOUR); null when there is no limit.',
    }),
    remainingBytesToday: t.exposeFloat('remainingBytesToday', {
      nullable: true,
      description:
        'Bytes the viewer may still store today (UPLOAD_MAX_BYTES_PER_DAY); null when there is no quota. A Float: a day’s quota can pass 2^31. An upload starting below it may end past it.',
    }),
  }),
});

builder.queryField('uploadLimits', (t) =>
  t.withAuth({ signedIn: true }).field({
    type: UploadLimitsRef,
    description: 'The upload rules, and what the viewer has left of the limits. Signed in.',
    resolve: async (_root, _args, context) => {
      const remaining = await context.services.uploadLimits.remaining(context.viewer.id);
      return {
        maxBytes: context.services.config.maxUploadBytes,
        remainingUploadsThisHour: remaining.uploadsThisHour,
        remainingBytesToday: remaining.bytesToday,
      };
    },
  }),
);
