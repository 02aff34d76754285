// Follows, likes and comments as the API tests send them (test/support/social.ts, test/follows.test.ts,
// likes, comments, home-feed, social-*): `npm run codegen` types each graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

export const FOLLOW = graphql(`
  mutation Follow($userId: ID!) {
    followUser(userId: $userId) { id followerCount followingCount viewerFollows }
  }
`);

export const UNFOLLOW = graphql(`
  mutation Unfollow($userId: ID!) {
    unfollowUser(userId: $userId) { id followerCount followingCount viewerFollows }
  }
`);

export const LIKE = graphql(`
  mutation Like($postId: ID!) {
    likePost(postId: $postId) { id likeCount commentCount viewerHasLiked }
  }
`);

export const UNLIKE = graphql(`
  mutation Unlike($postId: ID!) {
    unlikePost(postId: $postId) { id likeCount commentCount viewerHasLiked }
  }
`);

export const ADD_COMMENT = graphql(`
  mutation AddComment($postId: ID!, $body: String!) {
    addComment(postId: $postId, body: $body) {
      id body createdAt isOwner author { id username } post { id commentCount }
    }
  }
`);

export const DELETE_COMMENT = graphql(`
  mutation DeleteComment($id: ID!) { deleteComment(id: $id) }
`);

/** A profile as another account sees it (test/follows.test.ts). */
export const PROFILE = graphql(`
  query Profile($username: String!) {
    userByUsername(username: $username) { id username bio followerCount followingCount postCount viewerFollows }
  }
`);

export const MY_COUNTS = graphql(`
  query MyCounts { me { id followerCount followingCount postCount viewerFollows } }
`);

export const FOLLOWERS = graphql(`
  query Followers($id: ID!, $first: Int, $after: String) {
    node(id: $id) { ... on User { followers(first: $first, after: $after) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }
  }
`);

export const FOLLOWING = graphql(`
  query Following($id: ID!, $first: Int, $after: String) {
    node(id: $id) { ... on User { following(first: $first, after: $after) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }
  }
`);

export const SET_BIO = graphql(`
  mutation SetBio($bio: String) { updateMe(input: { bio: $bio }) { id bio } }
`);

/** A post's like state as `viewer` sees it (test/likes.test.ts). */
export const POST_LIKES = graphql(`
  query PostLikes($id: ID!) { node(id: $id) { ... on Post { likeCount viewerHasLiked } } }
`);

export const LIKERS = graphql(`
  query Likers($id: ID!, $first: Int, $after: String) {
    node(id: $id) { ... on Post { likers(first: $first, after: $after) {
      edges { cursor node { id username } } pageInfo { hasNextPage endCursor } } } }
  }
`);

/** Three writes in one request, each field read after its own write. */
export const LIKE_UNLIKE_LIKE = graphql(`
  mutation LikeUnlikeLike($p: ID!) {
    a: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }
    b: unlikePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }
    c: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }
  }
`);

/** A post's comments, oldest first (test/comments.test.ts). */
export const COMMENTS = graphql(`
  query Comments($id: ID!, $first: Int, $after: String) {
    node(id: $id) { ... on Post { commentCount comments(first: $first, after: $after) {
      edges { cursor node { id body isOwner author { id username } post { id } } }
      pageInfo { hasNextPage endCursor } } } }
  }
`);

export const COMMENT_BODY = graphql(`
  query CommentBody($id: ID!) { node(id: $id) { ... on Comment { body } } }
`);

/** The global feed with every social field a write may change (test/instances/social-caches.test.ts). */
export const SOCIAL_FEED = graphql(`
  query SocialFeed {
    feed(first: 50) { edges { node { id caption likeCount commentCount viewerHasLiked
      author { id bio followerCount viewerFollows } } } }
  }
`);

export const SOCIAL_POST = graphql(`
  query SocialPost($id: ID!) {
    node(id: $id) { ... on Post { caption likeCount commentCount viewerHasLiked
      comments { edges { node { id body } } } likers { edges { node { id } } } } }
  }
`);

/** The viewer's following beside another account's followers. */
export const FOLLOW_STATE = graphql(`
  query FollowState($id: ID!) {
    me { followingCount following { edges { node { id } } } }
    node(id: $id) { ... on User { followerCount viewerFollows followers { edges { node { id } } } } }
  }
`);

/** The ids on the first home feed page. */
export const HOME_IDS = graphql(`
  query HomeIds { homeFeed(first: 50) { edges { node { id } } } }
`);

/** An account's counts and lists (test/social-cascades.test.ts). */
export const USER_SOCIAL_VIEW = graphql(`
  query UserSocialView($id: ID!) {
    node(id: $id) { ... on User {
      followerCount followingCount postCount
      followers { edges { node { id } } } following { edges { node { id } } } } }
  }
`);

export const POST_SOCIAL_VIEW = graphql(`
  query PostSocialView($id: ID!) {
    node(id: $id) { ... on Post {
      likeCount commentCount likers { edges { node { id } } } comments { edges { node { author { id } } } } } }
  }
`);

/** A home feed page either way (test/home-feed.test.ts). */
export const HOME_PAGE = graphql(`
  query HomePage($first: Int, $after: String, $last: Int, $before: String) {
    homeFeed(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
  }
`);

/** Every social field of a post and its author (test/social-queries.test.ts counts what they cost). */
export const SOCIAL_POST_FIELDS = graphql(`
  fragment SocialPostFields on Post {
    id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }
  }
`);

export const SOCIAL_FEED_PAGE = graphql(`
  query SocialFeedPage($first: Int) { feed(first: $first) { edges { node { ...SocialPostFields } } } }
`);

export const SOCIAL_HOME_PAGE = graphql(`
  query SocialHomePage($first: Int) { homeFeed(first: $first) { edges { node { ...SocialPostFields } } } }
`);

export const COMMENTS_WITH_AUTHORS = graphql(`
  query CommentsWithAuthors($id: ID!, $first: Int) {
    node(id: $id) { ... on Post { comments(first: $first) {
      edges { node { id body isOwner author { id username followerCount viewerFollows } } } } } }
  }
`);
