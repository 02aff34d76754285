import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { actsFor } from '../context.ts';
import { AppError, ErrorCode, notFound } from '../errors.ts';
import { FEED_PAGE, paged, resolveFeedConnection } from './pagination.ts';
import { receivedUpload } from './upload.ts';

export const FileTypeEnum = builder.enumType('FileType', { values: ['IMAGE', 'VIDEO'] as const });

export const PostRef = builder.prismaNode('Post', {
  id: { field: 'id' },
  fields: (t) => ({
    caption: t.exposeString('caption', { nullable: true }),
    url: t.string({
      description:
        'Where the file is served. width and height ask ImageKit for a resized image; local storage serves the original.',
      args: { width: t.arg.int({ required: false }), height: t.arg.int({ required: false }) },
      resolve: (post, args, context) => {
        for (const [name, value] of Object.entries(args)) {
          if (value != null && (value < 1 || value > 4096)) {
            throw new AppError(ErrorCode.BAD_USER_INPUT, `${name} must be between 1 and 4096.`, { field: name });
          }
        }
        return context.services.storage.url(post, args);
      },
    }),
    thumbnailUrl: t.string({
      nullable: true,
      description: "A preview image: ImageKit's thumbnail for videos; the original file with local storage.",
      resolve: (post, _args, context) => context.services.storage.thumbnailUrl(post),
    }),
    fileType: t.expose('fileType', { type: FileTypeEnum }),
    fileName: t.exposeString('fileName', { description: 'The name the file was uploaded with.' }),
    mimeType: t.exposeString('mimeType', { description: 'Decided from the file bytes.' }),
    size: t.exposeInt('size', { description: 'Bytes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    author: t.relation('author'),
    isOwner: t.boolean({
      description: 'Whether the viewer wrote it (also in the answer of the login that signs them in).',
      resolve: (post, _args, context) => actsFor(context, post.authorId),
    }),
  }),
});

builder.queryFields((t) => ({
  feed: t.withAuth({ signedIn: true }).connection({
    type: PostRef,
    description: "Everyone's posts, newest first. first defaults to 20, at most 100.",
    ...paged(FEED_PAGE),
    resolve: (_root, args, context, info) => resolveFeedConnection(context, info, args),
  }),
  post: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    nullable: true,
    args: { id: t.arg.globalID({ required: true }) },
    resolve: (query, _root, { id }, context) =>
      id.typename === 'Post' ? context.db.post.findUnique({ ...query, where: { id: id.id } }) : null,
  }),
}));

builder.mutationFields((t) => ({
  uploadPost: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      'Posts an image or a video. Send it as a GraphQL multipart request with an apollo-require-preflight header.',
    args: { file: t.arg({ type: 'Upload', required: true }), caption: t.arg.string({ required: false }) },
    resolve: async (query, _root, args, context) => {
      const upload = await receivedUpload(args.file, context.services.config.maxUploadBytes);
      return context.services.posts.createFromUpload(context.viewer, upload, args.caption, query);
    },
  }),
  deletePost: t.withAuth({ signedIn: true }).field({
    type: 'ID',
    description: "Deletes a post and its file; only its author or a superuser may. Returns the deleted post's id.",
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, { id }, context) => {
      if (id.typename !== 'Post') throw notFound('Post not found.');
      await context.services.posts.delete(context.viewer, id.id);
      return encodeGlobalID('Post', id.id);
    },
  }),
}));
