/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment PostFields on Post {\n    id\n    caption\n    url\n    thumbnailUrl\n    fileType\n    fileName\n    mimeType\n    size\n    width\n    height\n    blurhash\n    srcSet\n    createdAt\n    isOwner\n    author {\n      id\n      username\n    }\n  }\n": typeof types.PostFieldsFragmentDoc,
    "\n  fragment PostPage on PostConnection {\n    edges {\n      cursor\n      node {\n        ...PostFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": typeof types.PostPageFragmentDoc,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n      email\n      isVerified\n      createdAt\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!, $transport: AuthTransport = BEARER) {\n    login(email: $email, password: $password, transport: $transport) {\n      token\n      tokenType\n      transport\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n      user {\n        id\n        username\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      token\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      transport\n      userAgent\n      current\n      lastUsedAt\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query Me($postsFirst: Int = 20, $postsAfter: String) {\n    me {\n      id\n      username\n      email\n      isSuperuser\n      createdAt\n      posts(first: $postsFirst, after: $postsAfter) {\n        ...PostPage\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Feed($first: Int = 20, $after: String) {\n    feed(first: $first, after: $after) {\n      ...PostPage\n    }\n  }\n": typeof types.FeedDocument,
    "\n  mutation UploadPost($file: Upload!, $caption: String) {\n    uploadPost(file: $file, caption: $caption) {\n      ...PostFields\n    }\n  }\n": typeof types.UploadPostDocument,
    "\n  mutation DeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n": typeof types.DeletePostDocument,
    "\n  query UploadLimits {\n    uploadLimits {\n      maxBytes\n      acceptedMimeTypes\n      captionMaxLength\n      remainingUploadsThisHour\n      remainingBytesToday\n    }\n  }\n": typeof types.UploadLimitsDocument,
    "\n  fragment PostSocialFields on Post {\n    id\n    caption\n    likeCount\n    commentCount\n    viewerHasLiked\n    author {\n      id\n      username\n      followerCount\n      viewerFollows\n    }\n  }\n": typeof types.PostSocialFieldsFragmentDoc,
    "\n  query HomeFeed($first: Int = 20, $after: String) {\n    homeFeed(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PostSocialFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.HomeFeedDocument,
    "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      bio\n      followerCount\n      followingCount\n      postCount\n      viewerFollows\n    }\n  }\n": typeof types.UserByUsernameDocument,
    "\n  mutation FollowUser($userId: ID!) {\n    followUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n": typeof types.FollowUserDocument,
    "\n  mutation UnfollowUser($userId: ID!) {\n    unfollowUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n": typeof types.UnfollowUserDocument,
    "\n  mutation LikePost($postId: ID!) {\n    likePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n": typeof types.LikePostDocument,
    "\n  mutation UnlikePost($postId: ID!) {\n    unlikePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n": typeof types.UnlikePostDocument,
    "\n  query PostComments($id: ID!, $first: Int = 20, $after: String) {\n    post(id: $id) {\n      id\n      commentCount\n      comments(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            body\n            isOwner\n            author {\n              id\n              username\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.PostCommentsDocument,
    "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id\n      body\n      isOwner\n      author {\n        id\n        username\n      }\n      post {\n        id\n        commentCount\n      }\n    }\n  }\n": typeof types.AddCommentDocument,
};
const documents: Documents = {
    "\n  fragment PostFields on Post {\n    id\n    caption\n    url\n    thumbnailUrl\n    fileType\n    fileName\n    mimeType\n    size\n    width\n    height\n    blurhash\n    srcSet\n    createdAt\n    isOwner\n    author {\n      id\n      username\n    }\n  }\n": types.PostFieldsFragmentDoc,
    "\n  fragment PostPage on PostConnection {\n    edges {\n      cursor\n      node {\n        ...PostFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": types.PostPageFragmentDoc,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n      email\n      isVerified\n      createdAt\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!, $transport: AuthTransport = BEARER) {\n    login(email: $email, password: $password, transport: $transport) {\n      token\n      tokenType\n      transport\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n      user {\n        id\n        username\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      token\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      transport\n      userAgent\n      current\n      lastUsedAt\n    }\n  }\n": types.MySessionsDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query Me($postsFirst: Int = 20, $postsAfter: String) {\n    me {\n      id\n      username\n      email\n      isSuperuser\n      createdAt\n      posts(first: $postsFirst, after: $postsAfter) {\n        ...PostPage\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query Feed($first: Int = 20, $after: String) {\n    feed(first: $first, after: $after) {\n      ...PostPage\n    }\n  }\n": types.FeedDocument,
    "\n  mutation UploadPost($file: Upload!, $caption: String) {\n    uploadPost(file: $file, caption: $caption) {\n      ...PostFields\n    }\n  }\n": types.UploadPostDocument,
    "\n  mutation DeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n": types.DeletePostDocument,
    "\n  query UploadLimits {\n    uploadLimits {\n      maxBytes\n      acceptedMimeTypes\n      captionMaxLength\n      remainingUploadsThisHour\n      remainingBytesToday\n    }\n  }\n": types.UploadLimitsDocument,
    "\n  fragment PostSocialFields on Post {\n    id\n    caption\n    likeCount\n    commentCount\n    viewerHasLiked\n    author {\n      id\n      username\n      followerCount\n      viewerFollows\n    }\n  }\n": types.PostSocialFieldsFragmentDoc,
    "\n  query HomeFeed($first: Int = 20, $after: String) {\n    homeFeed(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PostSocialFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.HomeFeedDocument,
    "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      bio\n      followerCount\n      followingCount\n      postCount\n      viewerFollows\n    }\n  }\n": types.UserByUsernameDocument,
    "\n  mutation FollowUser($userId: ID!) {\n    followUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n": types.FollowUserDocument,
    "\n  mutation UnfollowUser($userId: ID!) {\n    unfollowUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n": types.UnfollowUserDocument,
    "\n  mutation LikePost($postId: ID!) {\n    likePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n": types.LikePostDocument,
    "\n  mutation UnlikePost($postId: ID!) {\n    unlikePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n": types.UnlikePostDocument,
    "\n  query PostComments($id: ID!, $first: Int = 20, $after: String) {\n    post(id: $id) {\n      id\n      commentCount\n      comments(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            body\n            isOwner\n            author {\n              id\n              username\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.PostCommentsDocument,
    "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id\n      body\n      isOwner\n      author {\n        id\n        username\n      }\n      post {\n        id\n        commentCount\n      }\n    }\n  }\n": types.AddCommentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostFields on Post {\n    id\n    caption\n    url\n    thumbnailUrl\n    fileType\n    fileName\n    mimeType\n    size\n    width\n    height\n    blurhash\n    srcSet\n    createdAt\n    isOwner\n    author {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  fragment PostFields on Post {\n    id\n    caption\n    url\n    thumbnailUrl\n    fileType\n    fileName\n    mimeType\n    size\n    width\n    height\n    blurhash\n    srcSet\n    createdAt\n    isOwner\n    author {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostPage on PostConnection {\n    edges {\n      cursor\n      node {\n        ...PostFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n"): (typeof documents)["\n  fragment PostPage on PostConnection {\n    edges {\n      cursor\n      node {\n        ...PostFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n      email\n      isVerified\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      username\n      email\n      isVerified\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!, $transport: AuthTransport = BEARER) {\n    login(email: $email, password: $password, transport: $transport) {\n      token\n      tokenType\n      transport\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n      user {\n        id\n        username\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!, $transport: AuthTransport = BEARER) {\n    login(email: $email, password: $password, transport: $transport) {\n      token\n      tokenType\n      transport\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n      user {\n        id\n        username\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      token\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      token\n      expiresAt\n      refreshToken\n      refreshExpiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      transport\n      userAgent\n      current\n      lastUsedAt\n    }\n  }\n"): (typeof documents)["\n  query MySessions {\n    mySessions {\n      id\n      transport\n      userAgent\n      current\n      lastUsedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me($postsFirst: Int = 20, $postsAfter: String) {\n    me {\n      id\n      username\n      email\n      isSuperuser\n      createdAt\n      posts(first: $postsFirst, after: $postsAfter) {\n        ...PostPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me($postsFirst: Int = 20, $postsAfter: String) {\n    me {\n      id\n      username\n      email\n      isSuperuser\n      createdAt\n      posts(first: $postsFirst, after: $postsAfter) {\n        ...PostPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Feed($first: Int = 20, $after: String) {\n    feed(first: $first, after: $after) {\n      ...PostPage\n    }\n  }\n"): (typeof documents)["\n  query Feed($first: Int = 20, $after: String) {\n    feed(first: $first, after: $after) {\n      ...PostPage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadPost($file: Upload!, $caption: String) {\n    uploadPost(file: $file, caption: $caption) {\n      ...PostFields\n    }\n  }\n"): (typeof documents)["\n  mutation UploadPost($file: Upload!, $caption: String) {\n    uploadPost(file: $file, caption: $caption) {\n      ...PostFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UploadLimits {\n    uploadLimits {\n      maxBytes\n      acceptedMimeTypes\n      captionMaxLength\n      remainingUploadsThisHour\n      remainingBytesToday\n    }\n  }\n"): (typeof documents)["\n  query UploadLimits {\n    uploadLimits {\n      maxBytes\n      acceptedMimeTypes\n      captionMaxLength\n      remainingUploadsThisHour\n      remainingBytesToday\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostSocialFields on Post {\n    id\n    caption\n    likeCount\n    commentCount\n    viewerHasLiked\n    author {\n      id\n      username\n      followerCount\n      viewerFollows\n    }\n  }\n"): (typeof documents)["\n  fragment PostSocialFields on Post {\n    id\n    caption\n    likeCount\n    commentCount\n    viewerHasLiked\n    author {\n      id\n      username\n      followerCount\n      viewerFollows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomeFeed($first: Int = 20, $after: String) {\n    homeFeed(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PostSocialFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query HomeFeed($first: Int = 20, $after: String) {\n    homeFeed(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PostSocialFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      bio\n      followerCount\n      followingCount\n      postCount\n      viewerFollows\n    }\n  }\n"): (typeof documents)["\n  query UserByUsername($username: String!) {\n    userByUsername(username: $username) {\n      id\n      username\n      bio\n      followerCount\n      followingCount\n      postCount\n      viewerFollows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FollowUser($userId: ID!) {\n    followUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n"): (typeof documents)["\n  mutation FollowUser($userId: ID!) {\n    followUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnfollowUser($userId: ID!) {\n    unfollowUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n"): (typeof documents)["\n  mutation UnfollowUser($userId: ID!) {\n    unfollowUser(userId: $userId) {\n      id\n      followerCount\n      viewerFollows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LikePost($postId: ID!) {\n    likePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n"): (typeof documents)["\n  mutation LikePost($postId: ID!) {\n    likePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlikePost($postId: ID!) {\n    unlikePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n"): (typeof documents)["\n  mutation UnlikePost($postId: ID!) {\n    unlikePost(postId: $postId) {\n      __typename\n      id\n      likeCount\n      viewerHasLiked\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostComments($id: ID!, $first: Int = 20, $after: String) {\n    post(id: $id) {\n      id\n      commentCount\n      comments(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            body\n            isOwner\n            author {\n              id\n              username\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PostComments($id: ID!, $first: Int = 20, $after: String) {\n    post(id: $id) {\n      id\n      commentCount\n      comments(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            body\n            isOwner\n            author {\n              id\n              username\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id\n      body\n      isOwner\n      author {\n        id\n        username\n      }\n      post {\n        id\n        commentCount\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id\n      body\n      isOwner\n      author {\n        id\n        username\n      }\n      post {\n        id\n        commentCount\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;