import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { actsFor } from '../context.ts';
import { notFound } from '../errors.ts';
import { canSeeWritten } from '../services/safety/visibility.ts';
import { idOf, stillThere } from './ids.ts';
import { FEED_PAGE, paged, resolveFeedConnection } from './pagination.ts';
import { receivedUpload } from './upload.ts';

export const FileTypeEnum = builder.enumType('FileType', {
  description: 'What an upload turned out to be, decided from its bytes.',
  values: ['IMAGE', 'VIDEO'] as const,
});

// Resized images: asking for more is clamped, not refused, so one odd argument never costs a whole list.
const MAX_IMAGE_SIDE = 4096;
const clampSide = (side: number | null | undefined) =>
  side == null ? side : Math.min(MAX_IMAGE_SIDE, Math.max(1, side));

export const PostRef = builder.prismaNode('Post', {
  id: { field: 'id' },
  fields: (t) => ({
    caption: t.exposeString('caption', {
      nullable: true,
      description: 'Up to 2,200 characters; null when none was given.',
    }),
    url: t.string({
      description:
        'Where the file is served. For an image, width and/or height ask for a resized copy that fits the box (aspect kept, never enlarged): on local storage its width snaps to the ladder (160, 320, 640, 1080, 1440, 2048: the smallest rung at least as wide as asked, the original when that is not narrower), on ImageKit a URL transformation. Videos are always the original.',
      args: {
        width: t.arg.int({
          required: false,
          description: `Pixels, 1 to ${MAX_IMAGE_SIDE}; outside that range it is clamped.`,
        }),
        height: t.arg.int({
          required: false,
          description: `Pixels, 1 to ${MAX_IMAGE_SIDE}; outside that range it is clamped.`,
        }),
      },
      resolve: (post, { width, height }, context) =>
        context.services.storage.url(post, { width: clampSide(width), height: clampSide(height) }),
    }),
    srcSet: t.string({
      nullable: true,
      description:
        'For an <img srcset>: the image at each rung of the ladder narrower than it, then the original, as "<url> 320w, <url> 640w, ...". Null for videos, and on local storage for a post whose width is not known yet.',
      resolve: (post, _args, context) => context.services.storage.srcSet(post),
    }),
    thumbnailUrl: t.string({
      nullable: true,
      description:
        "A preview image for an <img>, within 480x480 (on local storage, the ladder's rendition for that box): for a video, its poster frame (ImageKit's thumbnail, or on local storage the JPEG made at upload, at the video's size). Null for a local video without a poster (stored while the server had no ffmpeg).",
      resolve: (post, _args, context) => context.services.storage.thumbnailUrl(post),
    }),
    width: t.exposeInt('width', {
      nullable: true,
      description:
        'Pixels as displayed: after EXIF orientation for a photo, after the rotation for a video (a portrait phone photo is taller than wide). Null for a post the media backfill has not reached.',
    }),
    height: t.exposeInt('height', { nullable: true, description: 'Pixels as displayed; see width.' }),
    duration: t.exposeFloat('duration', { nullable: true, description: 'Seconds, for a video; null for images.' }),
    blurhash: t.exposeString('blurhash', {
      nullable: true,
      description:
        "A BlurHash (4 x 3 components) of the image, or of a video's poster frame, to draw while the file loads (react-blurhash, the iOS and Android blurhash libraries). Computed once, when the post is made.",
    }),
    fileType: t.expose('fileType', { type: FileTypeEnum }),
    fileName: t.exposeString('fileName', { description: 'The name the file was uploaded with.' }),
    mimeType: t.exposeString('mimeType', { description: 'Decided from the file bytes.' }),
    size: t.exposeInt('size', { description: 'Bytes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    author: t.relation('author', { description: 'Who posted it.' }),
    isOwner: t.boolean({
      description: 'Whether the viewer wrote it (also in the answer of the login that signs them in).',
      resolve: (post, _args, context) => actsFor(context, post.authorId),
    }),
  }),
});

/** One page of posts, for the feed and a user's posts alike, so clients can share fragments. */
export const PostConnection = builder.connectionObject(
  { type: PostRef, name: 'PostConnection', description: 'A page of posts, newest first.' },
  { name: 'PostEdge' },
);

builder.queryFields((t) => ({
  feed: t.connection(
    {
      type: PostRef,
      authScopes: { signedIn: true },
      description:
        "Everyone's posts, newest first. Signed in (UNAUTHENTICATED otherwise). first defaults to 20, at most 100; a malformed cursor is BAD_USER_INPUT.",
      ...paged(FEED_PAGE),
      resolve: (_root, args, context, info) => resolveFeedConnection(context, info, args),
    },
    PostConnection,
  ),
  post: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    nullable: true,
    description:
      'One post by its id; null when there is none, or when the viewer may not see it (a block either way, reported by the viewer, hidden by reports). Signed in.',
    args: { id: t.arg.globalID({ required: true, description: 'The id a Post carries.' }) },
    resolve: async (query, _root, { id }, context) => {
      if (id.typename !== 'Post') return null;
      const post = await context.db.post.findUnique({ ...query, where: { id: id.id } });
      return post && canSeeWritten(await context.loaders.hidden(), post) ? post : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  uploadPost: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      'Posts an image (JPEG, PNG, GIF, WebP, AVIF, HEIC) or a video (MP4, WebM, MOV), as a GraphQL multipart request with an apollo-require-preflight header. Signed in. Errors: UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE (over MAX_UPLOAD_BYTES), STORAGE_UNAVAILABLE, BAD_USER_INPUT (caption), RATE_LIMITED (past UPLOAD_MAX_PER_HOUR, or the UPLOAD_MAX_BYTES_PER_DAY quota used up).',
    args: {
      file: t.arg({ type: 'Upload', required: true, description: 'The file; its type is decided from its bytes.' }),
      caption: t.arg.string({
        required: false,
        description:
          'Up to 2,200 characters; no control characters but tab and newline, and no bidi embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069).',
      }),
    },
    resolve: async (query, _root, args, context) => {
      const { maxUploadBytes } = context.services.config;
      const upload = await receivedUpload(args.file, maxUploadBytes, context.uploadBytes ?? maxUploadBytes);
      return context.services.posts.createFromUpload(context.viewer, upload, args.caption, query);
    },
  }),
  updatePost: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      'Changes a post’s caption. Its author only (FORBIDDEN otherwise). Errors: BAD_USER_INPUT (caption, or not a Post id), NOT_FOUND.',
    args: {
      id: t.arg.globalID({ required: true, description: 'The id of the post.' }),
      caption: t.arg.string({
        required: false,
        description: 'Up to 2,200 characters; no control characters but tab and newline. Null or empty removes it.',
      }),
    },
    resolve: async (query, _root, { id, caption }, context) => {
      const postId = idOf(id, 'Post', 'id');
      await context.services.posts.updateCaption(context.viewer, postId, caption);
      return stillThere(context.db.post.findUnique({ ...query, where: { id: postId } }), 'Post');
    },
  }),
  deletePost: t.withAuth({ signedIn: true }).field({
    type: 'ID',
    description:
      "Deletes a post and its file. Its author or a superuser (FORBIDDEN otherwise); NOT_FOUND when there is no such post. Returns the deleted post's id.",
    args: { id: t.arg.globalID({ required: true, description: 'The id of the post.' }) },
    resolve: async (_root, { id }, context) => {
      if (id.typename !== 'Post') throw notFound('Post not found.');
      await context.services.posts.delete(context.viewer, id.id);
      return encodeGlobalID('Post', id.id);
    },
  }),
}));
