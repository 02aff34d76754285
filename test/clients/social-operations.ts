// The social operations a frontend needs, as typed documents (`npm run codegen`): a post card's counts
// and the viewer's like, following and liking, comments, and the home feed. The like mutations ask for
// __typename, so an optimistic answer (Apollo's optimisticResponse) is typed with what the cache needs.
import { graphql } from './generated/gql.ts';

/** What a post card shows of its social side; the viewer's like and follow are per viewer, never cached shared. */
export const PostSocialFields = graphql(`
  fragment PostSocialFields on Post {
    id
    caption
    likeCount
    commentCount
    viewerHasLiked
    author {
      id
      username
      followerCount
      viewerFollows
    }
  }
`);

export const HomeFeedQuery = graphql(`
  query HomeFeed($first: Int = 20, $after: String) {
    homeFeed(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...PostSocialFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const UserByUsernameQuery = graphql(`
  query UserByUsername($username: String!) {
    userByUsername(username: $username) {
      id
      username
      bio
      followerCount
      followingCount
      postCount
      viewerFollows
    }
  }
`);

export const FollowUserMutation = graphql(`
  mutation FollowUser($userId: ID!) {
    followUser(userId: $userId) {
      id
      followerCount
      viewerFollows
    }
  }
`);

export const UnfollowUserMutation = graphql(`
  mutation UnfollowUser($userId: ID!) {
    unfollowUser(userId: $userId) {
      id
      followerCount
      viewerFollows
    }
  }
`);

export const LikePostMutation = graphql(`
  mutation LikePost($postId: ID!) {
    likePost(postId: $postId) {
      __typename
      id
      likeCount
      viewerHasLiked
    }
  }
`);

export const UnlikePostMutation = graphql(`
  mutation UnlikePost($postId: ID!) {
    unlikePost(postId: $postId) {
      __typename
      id
      likeCount
      viewerHasLiked
    }
  }
`);

export const PostCommentsQuery = graphql(`
  query PostComments($id: ID!, $first: Int = 20, $after: String) {
    post(id: $id) {
      id
      commentCount
      comments(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            body
            isOwner
            author {
              id
              username
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const AddCommentMutation = graphql(`
  mutation AddComment($postId: ID!, $body: String!) {
    addComment(postId: $postId, body: $body) {
      id
      body
      isOwner
      author {
        id
        username
      }
      post {
        id
        commentCount
      }
    }
  }
`);
