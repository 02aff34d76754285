// Direct browser uploads to ImageKit, for files too large to send through uploadPost.
import { builder } from '../builder.ts';
import type { UploadAuth } from '../infra/storage/imagekit.ts';

const ImageKitUploadAuthRef = builder.objectRef<UploadAuth>('ImageKitUploadAuth').implement({
  description:
    "Parameters for one upload from the browser with ImageKit's upload API (or its JavaScript SDK). Upload into `folder`, then pass the returned fileId to createPostFromImageKit.",
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Single use.' }),
    expire: t.exposeInt('expire', { description: 'Unix time in seconds after which the signature is refused.' }),
    signature: t.exposeString('signature'),
    publicKey: t.exposeString('publicKey'),
    urlEndpoint: t.exposeString('urlEndpoint'),
    folder: t.exposeString('folder', {
      description: "The viewer's own upload folder; files elsewhere cannot be posted.",
    }),
  }),
});

builder.queryFields((t) => ({
  imageKitUploadAuth: t.withAuth({ signedIn: true }).field({
    type: ImageKitUploadAuthRef,
    description:
      'Signs one direct browser upload to ImageKit into the viewer’s folder. Signed in. BAD_USER_INPUT (reason IMAGEKIT_NOT_CONFIGURED) when this server does not store media on ImageKit.',
    resolve: (_root, _args, context) => context.services.imagekitDirect.authFor(context.viewer),
  }),
}));

builder.mutationFields((t) => ({
  createPostFromImageKit: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      "Posts a file uploaded straight to ImageKit, once ImageKit confirms it exists in the viewer's upload folder (FORBIDDEN otherwise) and is an accepted image or video (UNSUPPORTED_MEDIA_TYPE otherwise).",
    args: {
      fileId: t.arg.string({ required: true, description: 'The fileId ImageKit answered the upload with.' }),
      caption: t.arg.string({
        required: false,
        description: 'Up to 2,200 characters, as uploadPost takes them.',
      }),
    },
    resolve: (query, _root, args, context) =>
      context.services.imagekitDirect.createPost(context.viewer, args.fileId, args.caption, query),
  }),
}));
