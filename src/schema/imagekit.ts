// Direct browser uploads to ImageKit, for files too large to send through uploadPost.
import { builder } from '../builder.ts';
import type { UploadAuth } from '../infra/storage/imagekit.ts';

const ImageKitUploadFieldRef = builder.objectRef<UploadAuth['fields'][number]>('ImageKitUploadField').implement({
  description: 'One form field of a direct upload, to send exactly as given.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The form field name.' }),
    value: t.exposeString('value', { description: 'Its value, character for character.' }),
  }),
});

const ImageKitUploadAuthRef = builder.objectRef<UploadAuth>('ImageKitUploadAuth').implement({
  description:
    "One upload from the browser straight to ImageKit's upload API v2: POST `fields` and then the file (as `file`) as multipart/form-data to `uploadUrl`, then pass the fileId ImageKit answers with to createPostFromImageKit. The token signs every field: ImageKit refuses an upload whose fields differ, a second upload with the same token, a file over `maxBytes`, and a file that is not an accepted image or video.",
  fields: (t) => ({
    uploadUrl: t.exposeString('uploadUrl', {
      description:
        "Where to POST the upload: ImageKit's upload API v2 (https://upload.imagekit.io/api/v2/files/upload).",
    }),
    fields: t.field({
      type: [ImageKitUploadFieldRef],
      description:
        'Every form field the upload must carry, token included, each exactly as given; add nothing else but the file.',
      resolve: (auth) => auth.fields,
    }),
    token: t.exposeString('token', {
      description:
        "A JWT signed with this server's ImageKit private key over the upload's fields (also among `fields`). One upload only: ask again for the next.",
    }),
    expire: t.exposeInt('expire', { description: 'Unix time in seconds after which ImageKit refuses the token.' }),
    folder: t.exposeString('folder', {
      description: "The viewer's own upload folder, which the token signs; only files there can be posted.",
    }),
    fileName: t.exposeString('fileName', {
      description:
        'The name the token signs: the requested name in the characters ImageKit keeps, with a random part. ImageKit adds a unique suffix of its own.',
    }),
    maxBytes: t.exposeInt('maxBytes', { description: 'The largest file ImageKit takes with this token, in bytes.' }),
    publicKey: t.exposeString('publicKey', {
      description: "The ImageKit account's public key (the token's kid), for ImageKit's browser SDK.",
    }),
    urlEndpoint: t.exposeString('urlEndpoint', { description: 'The ImageKit URL endpoint files are served from.' }),
  }),
});

builder.queryFields((t) => ({
  imageKitUploadAuth: t.withAuth({ signedIn: true }).field({
    type: ImageKitUploadAuthRef,
    description:
      'A token for one direct browser upload to ImageKit into the viewer’s folder, valid for 30 minutes. Signed in. Counts one upload against UPLOAD_MAX_PER_HOUR and checks the daily byte quota (RATE_LIMITED past them). BAD_USER_INPUT (reason IMAGEKIT_NOT_CONFIGURED) when this server does not store media on ImageKit. Ask for a new one for every upload (a cached answer holds a spent token).',
    args: {
      fileName: t.arg.string({
        required: false,
        description:
          "The name of the file to upload (a path's last part is used). It becomes the file's name at ImageKit, cleaned to letters, digits, '.', '_' and '-'. Default: upload.",
      }),
    },
    resolve: (_root, args, context) => context.services.imagekitDirect.authFor(context.viewer, args.fileName),
  }),
}));

builder.mutationFields((t) => ({
  createPostFromImageKit: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      "Posts a file uploaded straight to ImageKit, once ImageKit confirms it exists in the viewer's upload folder (FORBIDDEN otherwise), was uploaded less than 23 hours ago (BAD_USER_INPUT, reason UPLOAD_EXPIRED) and is an accepted image or video (UNSUPPORTED_MEDIA_TYPE). A file that can never be posted is deleted. Lookups that post nothing count against UPLOAD_MAX_PER_HOUR in a count of their own (RATE_LIMITED).",
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
