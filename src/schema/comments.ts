// Comments on posts: the Comment type, a post's comments and their count, and adding and deleting one.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { actsFor, forgetReads } from '../context.ts';
import { notFound } from '../errors.ts';
import { MAX_COMMENT_LENGTH } from '../services/social/comments.ts';
import { idOf, stillThere } from './ids.ts';
import { paged, resolveKeysetConnection, SOCIAL_PAGE } from './pagination.ts';
import { PostRef } from './post.ts';
import { UserRef } from './user.ts';

export const CommentRef = builder.prismaNode('Comment', {
  id: { field: 'id' },
  description: 'A comment on a post.',
  fields: (t) => ({
    body: t.exposeString('body', { description: `1 to ${MAX_COMMENT_LENGTH} characters.` }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    author: t.field({
      type: UserRef,
      description: 'Who wrote it.',
      // Pages of comments carry their authors; a comment read alone loads its author with the others of the request.
      resolve: (comment, _args, context) =>
        ('author' in comment && comment.author
          ? comment.author
          : context.loaders.users.load(comment.authorId)) as never,
    }),
    post: t.relation('post', { description: 'The post it is on.' }),
    isOwner: t.boolean({
      description: 'Whether the viewer wrote it.',
      resolve: (comment, _args, context) => actsFor(context, comment.authorId),
    }),
  }),
});

export const CommentConnection = builder.connectionObject(
  { type: CommentRef, name: 'CommentConnection', description: 'A page of comments, oldest first.' },
  { name: 'CommentEdge' },
);

builder.objectFields(PostRef, (t) => ({
  commentCount: t.int({
    description: 'How many comments the post has.',
    resolve: async (post, _args, context) => {
      const facts = await context.loaders.postFacts.load(post.id);
      if (!facts) throw notFound('Post not found.');
      return facts.commentCount;
    },
  }),
  comments: t.connection(
    {
      type: CommentRef,
      description: `The post's comments, oldest first. first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (post, args, context) =>
        resolveKeysetConnection(args, SOCIAL_PAGE, 'oldest-first', (window) =>
          context.loaders.commentsByPost(post.id, window),
        ),
    },
    CommentConnection,
  ),
}));

builder.mutationFields((t) => ({
  addComment: t.withAuth({ signedIn: true }).prismaField({
    type: 'Comment',
    description: `Comments on a post: 1 to ${MAX_COMMENT_LENGTH} characters, no control characters but tab and newline. Signed in. Errors: BAD_USER_INPUT (body, or not a Post id), NOT_FOUND, RATE_LIMITED (SOCIAL_ACTIONS_MAX_PER_HOUR, COMMENT_MAX_PER_HOUR).`,
    args: {
      postId: t.arg.globalID({ required: true, description: 'The id of the post.' }),
      body: t.arg.string({ required: true, description: `1 to ${MAX_COMMENT_LENGTH} characters.` }),
    },
    resolve: async (query, _root, { postId, body }, context) => {
      const comment = await context.services.comments.add(context.viewer, idOf(postId, 'Post', 'postId'), body);
      forgetReads(context);
      return Object.keys(query).length === 0
        ? comment
        : stillThere(context.db.comment.findUnique({ ...query, where: { id: comment.id } }), 'Comment');
    },
  }),
  deleteComment: t.withAuth({ signedIn: true }).field({
    type: 'ID',
    description:
      "Deletes a comment: its author, the post's author or a superuser (FORBIDDEN otherwise). Returns the deleted comment's id. Errors: BAD_USER_INPUT (not a Comment id), NOT_FOUND.",
    args: { id: t.arg.globalID({ required: true, description: 'The id of the comment.' }) },
    resolve: async (_root, { id }, context) => {
      const commentId = idOf(id, 'Comment', 'id');
      await context.services.comments.delete(context.viewer, commentId);
      forgetReads(context);
      return encodeGlobalID('Comment', commentId);
    },
  }),
}));
