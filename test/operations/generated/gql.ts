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
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }\n  }\n": typeof types.LoginDocument,
    "\n  mutation DeleteMe($password: String!) { deleteMe(password: $password) }\n": typeof types.DeleteMeDocument,
    "\n  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }\n": typeof types.DeleteUserDocument,
    "\n  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }\n": typeof types.DeactivateUserDocument,
    "\n  query AccountMe { me { id email username isVerified } }\n": typeof types.AccountMeDocument,
    "\n  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }\n": typeof types.ResetPasswordDocument,
    "\n  mutation RequestVerification($email: String!) { requestVerification(email: $email) }\n": typeof types.RequestVerificationDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email isVerified } }\n": typeof types.VerifyEmailDocument,
    "\n  mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email username isVerified isSuperuser } }\n": typeof types.UpdateMeDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email } }\n": typeof types.UpdateUserDocument,
    "\n  query AdminUser($id: ID!) { user(id: $id) { id email username isActive } }\n": typeof types.AdminUserDocument,
    "\n  query AdminUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, search: $search) {\n      edges { node { username email } } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { id email username isActive isVerified isSuperuser }\n  }\n": typeof types.AdminUpdateUserDocument,
    "\n  query WhoAmI { me { id username email } }\n": typeof types.WhoAmIDocument,
    "\n  query MyId { me { id } }\n": typeof types.MyIdDocument,
    "\n  query Usernames($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }\n": typeof types.UsernamesDocument,
    "\n  query NodeUsername($id: ID!) { node(id: $id) { id ... on User { username } } }\n": typeof types.NodeUsernameDocument,
    "\n  mutation LoginPosts($email: String!, $password: String!) {\n    login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } }\n  }\n": typeof types.LoginPostsDocument,
    "\n  query ConnectionType { __type(name: \"PostConnection\") { name } }\n": typeof types.ConnectionTypeDocument,
    "\n  query MyPostsPage($n: Int) { me { posts(first: $n) { edges { cursor } pageInfo { hasNextPage } } } }\n": typeof types.MyPostsPageDocument,
    "\n  query LargeFeedPage($n: Int) { feed(first: $n) { edges { node { id caption url author { username } } } } }\n": typeof types.LargeFeedPageDocument,
    "\n  mutation UpdateMeAndDeleteMe($input: UpdateMeInput!, $password: String!) {\n    updateMe(input: $input) { id } deleteMe(password: $password)\n  }\n": typeof types.UpdateMeAndDeleteMeDocument,
    "\n  query UploadAuth($fileName: String) {\n    imageKitUploadAuth(fileName: $fileName) {\n      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }\n    }\n  }\n": typeof types.UploadAuthDocument,
    "\n  mutation CreateFromImageKit($fileId: String!, $caption: String) {\n    createPostFromImageKit(fileId: $fileId, caption: $caption) {\n      id caption url thumbnailUrl fileType mimeType fileName size isOwner\n    }\n  }\n": typeof types.CreateFromImageKitDocument,
    "\n  mutation UploadAvatar($file: Upload!) {\n    uploadAvatar(file: $file) { id avatarUrl small: avatarUrl(size: 100) big: avatarUrl(size: 300) }\n  }\n": typeof types.UploadAvatarDocument,
    "\n  query MyAvatar { me { avatarUrl small: avatarUrl(size: 100) } }\n": typeof types.MyAvatarDocument,
    "\n  query FeedAvatar { feed(first: 1) { edges { node { author { username avatarUrl } } } } }\n": typeof types.FeedAvatarDocument,
    "\n  mutation DeleteAvatar { deleteAvatar { id } }\n": typeof types.DeleteAvatarDocument,
    "\n  mutation DeleteAvatarUrl { deleteAvatar { avatarUrl } }\n": typeof types.DeleteAvatarUrlDocument,
    "\n  query PostUrls($id: ID!) {\n    post(id: $id) { id url small: url(width: 300) box: url(width: 300, height: 200) thumbnailUrl fileType }\n  }\n": typeof types.PostUrlsDocument,
    "\n  query PostMedia($id: ID!) {\n    post(id: $id) {\n      id fileType mimeType size width height duration blurhash srcSet url thumbnailUrl\n      w300: url(width: 300) box: url(width: 1000, height: 500) huge: url(width: 4000)\n    }\n  }\n": typeof types.PostMediaDocument,
    "\n  mutation DeletePost($id: ID!) { deletePost(id: $id) }\n": typeof types.DeletePostDocument,
    "\n  mutation UpdateCaption($id: ID!, $caption: String) { updatePost(id: $id, caption: $caption) { id caption } }\n": typeof types.UpdateCaptionDocument,
    "\n  query FeedIds { feed(first: 100) { edges { node { id } } } }\n": typeof types.FeedIdsDocument,
    "\n  query FeedCursors($after: String) { feed(first: 30, after: $after) { edges { cursor node { id } } } }\n": typeof types.FeedCursorsDocument,
    "\n  query Feed($first: Int, $after: String) {\n    feed(first: $first, after: $after) {\n      edges { cursor node { id caption isOwner author { id username email } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.FeedDocument,
    "\n  query UserPosts($id: ID!) {\n    node(id: $id) { __typename ... on User { username email posts(first: 2) {\n      edges { node { caption author { id } } } pageInfo { hasNextPage } } } }\n  }\n": typeof types.UserPostsDocument,
    "\n  query PostAuthor($id: ID!) { post(id: $id) { id author { username } } }\n": typeof types.PostAuthorDocument,
    "\n  query PostId($id: ID!) { post(id: $id) { id } }\n": typeof types.PostIdDocument,
    "\n  query AuthorPostsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) { ... on User { posts(first: $first, after: $after, last: $last, before: $before) {\n      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }\n  }\n": typeof types.AuthorPostsPageDocument,
    "\n  query NestedPosts($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption } } pageInfo { hasNextPage } } } } }\n    }\n  }\n": typeof types.NestedPostsDocument,
    "\n  query NestedPostsWithAuthors($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption author { username } } } pageInfo { hasNextPage } } } } }\n    }\n  }\n": typeof types.NestedPostsWithAuthorsDocument,
    "\n  query FeedCaptions($first: Int, $after: String) {\n    feed(first: $first, after: $after) { edges { node { id caption } } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.FeedCaptionsDocument,
    "\n  query FeedAuthors { feed(first: 50) { edges { node { id author { username } } } } }\n": typeof types.FeedAuthorsDocument,
    "\n  query UploadLimits {\n    uploadLimits { maxBytes acceptedMimeTypes captionMaxLength remainingUploadsThisHour remainingBytesToday }\n  }\n": typeof types.UploadLimitsDocument,
    "\n  mutation LoginCookie($email: String!, $password: String!) {\n    login(email: $email, password: $password, transport: COOKIE) {\n      token tokenType transport expiresAt refreshToken refreshExpiresAt user { id }\n    }\n  }\n": typeof types.LoginCookieDocument,
    "\n  mutation LoginTransportOmitted($e: String!, $p: String!) { login(email: $e, password: $p) { token transport } }\n": typeof types.LoginTransportOmittedDocument,
    "\n  mutation LoginTransportNull($e: String!, $p: String!) {\n    login(email: $e, password: $p, transport: null) { token transport }\n  }\n": typeof types.LoginTransportNullDocument,
    "\n  query SessionUser { me { id username } }\n": typeof types.SessionUserDocument,
    "\n  query MySessionsSeen { mySessions { transport current userAgent } }\n": typeof types.MySessionsSeenDocument,
    "\n  mutation Logout { logout }\n": typeof types.LogoutDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": typeof types.RevokeSessionDocument,
    "\n  mutation SetBioOnly($bio: String) { updateMe(input: { bio: $bio }) { bio } }\n": typeof types.SetBioOnlyDocument,
    "\n  mutation LoginToken($e: String!, $p: String!) { login(email: $e, password: $p) { token } }\n": typeof types.LoginTokenDocument,
    "\n  query MySessionsAll { mySessions { id transport createdAt lastUsedAt expiresAt userAgent current } }\n": typeof types.MySessionsAllDocument,
    "\n  mutation CompleteOAuth($code: String!, $transport: AuthTransport) {\n    completeOAuthSignIn(code: $code, transport: $transport) {\n      token tokenType transport refreshToken refreshExpiresAt user { id username email isVerified linkedProviders }\n    }\n  }\n": typeof types.CompleteOAuthDocument,
    "\n  query MyLinkedProviders { me { linkedProviders } }\n": typeof types.MyLinkedProvidersDocument,
    "\n  mutation CompleteOAuthToken($code: String!) { completeOAuthSignIn(code: $code) { token user { id email } } }\n": typeof types.CompleteOAuthTokenDocument,
    "\n  mutation UnlinkProvider($provider: String!) { unlinkProvider(provider: $provider) }\n": typeof types.UnlinkProviderDocument,
    "\n  query MySessionsLastUsed { mySessions { id lastUsedAt current } }\n": typeof types.MySessionsLastUsedDocument,
    "\n  query MySessionsTransports { mySessions { id transport } }\n": typeof types.MySessionsTransportsDocument,
    "\n  mutation Follow($userId: ID!) {\n    followUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n": typeof types.FollowDocument,
    "\n  mutation Unfollow($userId: ID!) {\n    unfollowUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n": typeof types.UnfollowDocument,
    "\n  mutation Like($postId: ID!) {\n    likePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n": typeof types.LikeDocument,
    "\n  mutation Unlike($postId: ID!) {\n    unlikePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n": typeof types.UnlikeDocument,
    "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id body createdAt isOwner author { id username } post { id commentCount }\n    }\n  }\n": typeof types.AddCommentDocument,
    "\n  mutation DeleteComment($id: ID!) { deleteComment(id: $id) }\n": typeof types.DeleteCommentDocument,
    "\n  query Profile($username: String!) {\n    userByUsername(username: $username) { id username bio followerCount followingCount postCount viewerFollows }\n  }\n": typeof types.ProfileDocument,
    "\n  query MyCounts { me { id followerCount followingCount postCount viewerFollows } }\n": typeof types.MyCountsDocument,
    "\n  query Followers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { followers(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n": typeof types.FollowersDocument,
    "\n  query Following($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { following(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n": typeof types.FollowingDocument,
    "\n  mutation SetBio($bio: String) { updateMe(input: { bio: $bio }) { id bio } }\n": typeof types.SetBioDocument,
    "\n  query PostLikes($id: ID!) { node(id: $id) { ... on Post { likeCount viewerHasLiked } } }\n": typeof types.PostLikesDocument,
    "\n  query Likers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { likers(first: $first, after: $after) {\n      edges { cursor node { id username } } pageInfo { hasNextPage endCursor } } } }\n  }\n": typeof types.LikersDocument,
    "\n  mutation LikeUnlikeLike($p: ID!) {\n    a: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    b: unlikePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    c: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n  }\n": typeof types.LikeUnlikeLikeDocument,
    "\n  query Comments($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { commentCount comments(first: $first, after: $after) {\n      edges { cursor node { id body isOwner author { id username } post { id } } }\n      pageInfo { hasNextPage endCursor } } } }\n  }\n": typeof types.CommentsDocument,
    "\n  query CommentBody($id: ID!) { node(id: $id) { ... on Comment { body } } }\n": typeof types.CommentBodyDocument,
    "\n  query SocialFeed {\n    feed(first: 50) { edges { node { id caption likeCount commentCount viewerHasLiked\n      author { id bio followerCount viewerFollows } } } }\n  }\n": typeof types.SocialFeedDocument,
    "\n  query SocialPost($id: ID!) {\n    node(id: $id) { ... on Post { caption likeCount commentCount viewerHasLiked\n      comments { edges { node { id body } } } likers { edges { node { id } } } } }\n  }\n": typeof types.SocialPostDocument,
    "\n  query FollowState($id: ID!) {\n    me { followingCount following { edges { node { id } } } }\n    node(id: $id) { ... on User { followerCount viewerFollows followers { edges { node { id } } } } }\n  }\n": typeof types.FollowStateDocument,
    "\n  query HomeIds { homeFeed(first: 50) { edges { node { id } } } }\n": typeof types.HomeIdsDocument,
    "\n  query UserSocialView($id: ID!) {\n    node(id: $id) { ... on User {\n      followerCount followingCount postCount\n      followers { edges { node { id } } } following { edges { node { id } } } } }\n  }\n": typeof types.UserSocialViewDocument,
    "\n  query PostSocialView($id: ID!) {\n    node(id: $id) { ... on Post {\n      likeCount commentCount likers { edges { node { id } } } comments { edges { node { author { id } } } } } }\n  }\n": typeof types.PostSocialViewDocument,
    "\n  query HomePage($first: Int, $after: String, $last: Int, $before: String) {\n    homeFeed(first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }\n  }\n": typeof types.HomePageDocument,
    "\n  fragment SocialPostFields on Post {\n    id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }\n  }\n": typeof types.SocialPostFieldsFragmentDoc,
    "\n  query SocialFeedPage($first: Int) { feed(first: $first) { edges { node { ...SocialPostFields } } } }\n": typeof types.SocialFeedPageDocument,
    "\n  query SocialHomePage($first: Int) { homeFeed(first: $first) { edges { node { ...SocialPostFields } } } }\n": typeof types.SocialHomePageDocument,
    "\n  query CommentsWithAuthors($id: ID!, $first: Int) {\n    node(id: $id) { ... on Post { comments(first: $first) {\n      edges { node { id body isOwner author { id username followerCount viewerFollows } } } } } }\n  }\n": typeof types.CommentsWithAuthorsDocument,
};
const documents: Documents = {
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }\n  }\n": types.LoginDocument,
    "\n  mutation DeleteMe($password: String!) { deleteMe(password: $password) }\n": types.DeleteMeDocument,
    "\n  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }\n": types.DeleteUserDocument,
    "\n  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }\n": types.DeactivateUserDocument,
    "\n  query AccountMe { me { id email username isVerified } }\n": types.AccountMeDocument,
    "\n  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }\n": types.ResetPasswordDocument,
    "\n  mutation RequestVerification($email: String!) { requestVerification(email: $email) }\n": types.RequestVerificationDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email isVerified } }\n": types.VerifyEmailDocument,
    "\n  mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email username isVerified isSuperuser } }\n": types.UpdateMeDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email } }\n": types.UpdateUserDocument,
    "\n  query AdminUser($id: ID!) { user(id: $id) { id email username isActive } }\n": types.AdminUserDocument,
    "\n  query AdminUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, search: $search) {\n      edges { node { username email } } pageInfo { hasNextPage endCursor } }\n  }\n": types.AdminUsersDocument,
    "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { id email username isActive isVerified isSuperuser }\n  }\n": types.AdminUpdateUserDocument,
    "\n  query WhoAmI { me { id username email } }\n": types.WhoAmIDocument,
    "\n  query MyId { me { id } }\n": types.MyIdDocument,
    "\n  query Usernames($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }\n": types.UsernamesDocument,
    "\n  query NodeUsername($id: ID!) { node(id: $id) { id ... on User { username } } }\n": types.NodeUsernameDocument,
    "\n  mutation LoginPosts($email: String!, $password: String!) {\n    login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } }\n  }\n": types.LoginPostsDocument,
    "\n  query ConnectionType { __type(name: \"PostConnection\") { name } }\n": types.ConnectionTypeDocument,
    "\n  query MyPostsPage($n: Int) { me { posts(first: $n) { edges { cursor } pageInfo { hasNextPage } } } }\n": types.MyPostsPageDocument,
    "\n  query LargeFeedPage($n: Int) { feed(first: $n) { edges { node { id caption url author { username } } } } }\n": types.LargeFeedPageDocument,
    "\n  mutation UpdateMeAndDeleteMe($input: UpdateMeInput!, $password: String!) {\n    updateMe(input: $input) { id } deleteMe(password: $password)\n  }\n": types.UpdateMeAndDeleteMeDocument,
    "\n  query UploadAuth($fileName: String) {\n    imageKitUploadAuth(fileName: $fileName) {\n      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }\n    }\n  }\n": types.UploadAuthDocument,
    "\n  mutation CreateFromImageKit($fileId: String!, $caption: String) {\n    createPostFromImageKit(fileId: $fileId, caption: $caption) {\n      id caption url thumbnailUrl fileType mimeType fileName size isOwner\n    }\n  }\n": types.CreateFromImageKitDocument,
    "\n  mutation UploadAvatar($file: Upload!) {\n    uploadAvatar(file: $file) { id avatarUrl small: avatarUrl(size: 100) big: avatarUrl(size: 300) }\n  }\n": types.UploadAvatarDocument,
    "\n  query MyAvatar { me { avatarUrl small: avatarUrl(size: 100) } }\n": types.MyAvatarDocument,
    "\n  query FeedAvatar { feed(first: 1) { edges { node { author { username avatarUrl } } } } }\n": types.FeedAvatarDocument,
    "\n  mutation DeleteAvatar { deleteAvatar { id } }\n": types.DeleteAvatarDocument,
    "\n  mutation DeleteAvatarUrl { deleteAvatar { avatarUrl } }\n": types.DeleteAvatarUrlDocument,
    "\n  query PostUrls($id: ID!) {\n    post(id: $id) { id url small: url(width: 300) box: url(width: 300, height: 200) thumbnailUrl fileType }\n  }\n": types.PostUrlsDocument,
    "\n  query PostMedia($id: ID!) {\n    post(id: $id) {\n      id fileType mimeType size width height duration blurhash srcSet url thumbnailUrl\n      w300: url(width: 300) box: url(width: 1000, height: 500) huge: url(width: 4000)\n    }\n  }\n": types.PostMediaDocument,
    "\n  mutation DeletePost($id: ID!) { deletePost(id: $id) }\n": types.DeletePostDocument,
    "\n  mutation UpdateCaption($id: ID!, $caption: String) { updatePost(id: $id, caption: $caption) { id caption } }\n": types.UpdateCaptionDocument,
    "\n  query FeedIds { feed(first: 100) { edges { node { id } } } }\n": types.FeedIdsDocument,
    "\n  query FeedCursors($after: String) { feed(first: 30, after: $after) { edges { cursor node { id } } } }\n": types.FeedCursorsDocument,
    "\n  query Feed($first: Int, $after: String) {\n    feed(first: $first, after: $after) {\n      edges { cursor node { id caption isOwner author { id username email } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.FeedDocument,
    "\n  query UserPosts($id: ID!) {\n    node(id: $id) { __typename ... on User { username email posts(first: 2) {\n      edges { node { caption author { id } } } pageInfo { hasNextPage } } } }\n  }\n": types.UserPostsDocument,
    "\n  query PostAuthor($id: ID!) { post(id: $id) { id author { username } } }\n": types.PostAuthorDocument,
    "\n  query PostId($id: ID!) { post(id: $id) { id } }\n": types.PostIdDocument,
    "\n  query AuthorPostsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) { ... on User { posts(first: $first, after: $after, last: $last, before: $before) {\n      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }\n  }\n": types.AuthorPostsPageDocument,
    "\n  query NestedPosts($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption } } pageInfo { hasNextPage } } } } }\n    }\n  }\n": types.NestedPostsDocument,
    "\n  query NestedPostsWithAuthors($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption author { username } } } pageInfo { hasNextPage } } } } }\n    }\n  }\n": types.NestedPostsWithAuthorsDocument,
    "\n  query FeedCaptions($first: Int, $after: String) {\n    feed(first: $first, after: $after) { edges { node { id caption } } pageInfo { hasNextPage endCursor } }\n  }\n": types.FeedCaptionsDocument,
    "\n  query FeedAuthors { feed(first: 50) { edges { node { id author { username } } } } }\n": types.FeedAuthorsDocument,
    "\n  query UploadLimits {\n    uploadLimits { maxBytes acceptedMimeTypes captionMaxLength remainingUploadsThisHour remainingBytesToday }\n  }\n": types.UploadLimitsDocument,
    "\n  mutation LoginCookie($email: String!, $password: String!) {\n    login(email: $email, password: $password, transport: COOKIE) {\n      token tokenType transport expiresAt refreshToken refreshExpiresAt user { id }\n    }\n  }\n": types.LoginCookieDocument,
    "\n  mutation LoginTransportOmitted($e: String!, $p: String!) { login(email: $e, password: $p) { token transport } }\n": types.LoginTransportOmittedDocument,
    "\n  mutation LoginTransportNull($e: String!, $p: String!) {\n    login(email: $e, password: $p, transport: null) { token transport }\n  }\n": types.LoginTransportNullDocument,
    "\n  query SessionUser { me { id username } }\n": types.SessionUserDocument,
    "\n  query MySessionsSeen { mySessions { transport current userAgent } }\n": types.MySessionsSeenDocument,
    "\n  mutation Logout { logout }\n": types.LogoutDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": types.RevokeSessionDocument,
    "\n  mutation SetBioOnly($bio: String) { updateMe(input: { bio: $bio }) { bio } }\n": types.SetBioOnlyDocument,
    "\n  mutation LoginToken($e: String!, $p: String!) { login(email: $e, password: $p) { token } }\n": types.LoginTokenDocument,
    "\n  query MySessionsAll { mySessions { id transport createdAt lastUsedAt expiresAt userAgent current } }\n": types.MySessionsAllDocument,
    "\n  mutation CompleteOAuth($code: String!, $transport: AuthTransport) {\n    completeOAuthSignIn(code: $code, transport: $transport) {\n      token tokenType transport refreshToken refreshExpiresAt user { id username email isVerified linkedProviders }\n    }\n  }\n": types.CompleteOAuthDocument,
    "\n  query MyLinkedProviders { me { linkedProviders } }\n": types.MyLinkedProvidersDocument,
    "\n  mutation CompleteOAuthToken($code: String!) { completeOAuthSignIn(code: $code) { token user { id email } } }\n": types.CompleteOAuthTokenDocument,
    "\n  mutation UnlinkProvider($provider: String!) { unlinkProvider(provider: $provider) }\n": types.UnlinkProviderDocument,
    "\n  query MySessionsLastUsed { mySessions { id lastUsedAt current } }\n": types.MySessionsLastUsedDocument,
    "\n  query MySessionsTransports { mySessions { id transport } }\n": types.MySessionsTransportsDocument,
    "\n  mutation Follow($userId: ID!) {\n    followUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n": types.FollowDocument,
    "\n  mutation Unfollow($userId: ID!) {\n    unfollowUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n": types.UnfollowDocument,
    "\n  mutation Like($postId: ID!) {\n    likePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n": types.LikeDocument,
    "\n  mutation Unlike($postId: ID!) {\n    unlikePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n": types.UnlikeDocument,
    "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id body createdAt isOwner author { id username } post { id commentCount }\n    }\n  }\n": types.AddCommentDocument,
    "\n  mutation DeleteComment($id: ID!) { deleteComment(id: $id) }\n": types.DeleteCommentDocument,
    "\n  query Profile($username: String!) {\n    userByUsername(username: $username) { id username bio followerCount followingCount postCount viewerFollows }\n  }\n": types.ProfileDocument,
    "\n  query MyCounts { me { id followerCount followingCount postCount viewerFollows } }\n": types.MyCountsDocument,
    "\n  query Followers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { followers(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n": types.FollowersDocument,
    "\n  query Following($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { following(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n": types.FollowingDocument,
    "\n  mutation SetBio($bio: String) { updateMe(input: { bio: $bio }) { id bio } }\n": types.SetBioDocument,
    "\n  query PostLikes($id: ID!) { node(id: $id) { ... on Post { likeCount viewerHasLiked } } }\n": types.PostLikesDocument,
    "\n  query Likers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { likers(first: $first, after: $after) {\n      edges { cursor node { id username } } pageInfo { hasNextPage endCursor } } } }\n  }\n": types.LikersDocument,
    "\n  mutation LikeUnlikeLike($p: ID!) {\n    a: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    b: unlikePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    c: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n  }\n": types.LikeUnlikeLikeDocument,
    "\n  query Comments($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { commentCount comments(first: $first, after: $after) {\n      edges { cursor node { id body isOwner author { id username } post { id } } }\n      pageInfo { hasNextPage endCursor } } } }\n  }\n": types.CommentsDocument,
    "\n  query CommentBody($id: ID!) { node(id: $id) { ... on Comment { body } } }\n": types.CommentBodyDocument,
    "\n  query SocialFeed {\n    feed(first: 50) { edges { node { id caption likeCount commentCount viewerHasLiked\n      author { id bio followerCount viewerFollows } } } }\n  }\n": types.SocialFeedDocument,
    "\n  query SocialPost($id: ID!) {\n    node(id: $id) { ... on Post { caption likeCount commentCount viewerHasLiked\n      comments { edges { node { id body } } } likers { edges { node { id } } } } }\n  }\n": types.SocialPostDocument,
    "\n  query FollowState($id: ID!) {\n    me { followingCount following { edges { node { id } } } }\n    node(id: $id) { ... on User { followerCount viewerFollows followers { edges { node { id } } } } }\n  }\n": types.FollowStateDocument,
    "\n  query HomeIds { homeFeed(first: 50) { edges { node { id } } } }\n": types.HomeIdsDocument,
    "\n  query UserSocialView($id: ID!) {\n    node(id: $id) { ... on User {\n      followerCount followingCount postCount\n      followers { edges { node { id } } } following { edges { node { id } } } } }\n  }\n": types.UserSocialViewDocument,
    "\n  query PostSocialView($id: ID!) {\n    node(id: $id) { ... on Post {\n      likeCount commentCount likers { edges { node { id } } } comments { edges { node { author { id } } } } } }\n  }\n": types.PostSocialViewDocument,
    "\n  query HomePage($first: Int, $after: String, $last: Int, $before: String) {\n    homeFeed(first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }\n  }\n": types.HomePageDocument,
    "\n  fragment SocialPostFields on Post {\n    id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }\n  }\n": types.SocialPostFieldsFragmentDoc,
    "\n  query SocialFeedPage($first: Int) { feed(first: $first) { edges { node { ...SocialPostFields } } } }\n": types.SocialFeedPageDocument,
    "\n  query SocialHomePage($first: Int) { homeFeed(first: $first) { edges { node { ...SocialPostFields } } } }\n": types.SocialHomePageDocument,
    "\n  query CommentsWithAuthors($id: ID!, $first: Int) {\n    node(id: $id) { ... on Post { comments(first: $first) {\n      edges { node { id body isOwner author { id username followerCount viewerFollows } } } } } }\n  }\n": types.CommentsWithAuthorsDocument,
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
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMe($password: String!) { deleteMe(password: $password) }\n"): (typeof documents)["\n  mutation DeleteMe($password: String!) { deleteMe(password: $password) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }\n"): (typeof documents)["\n  mutation DeleteUser($id: ID!) { deleteUser(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }\n"): (typeof documents)["\n  mutation DeactivateUser($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountMe { me { id email username isVerified } }\n"): (typeof documents)["\n  query AccountMe { me { id email username isVerified } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestVerification($email: String!) { requestVerification(email: $email) }\n"): (typeof documents)["\n  mutation RequestVerification($email: String!) { requestVerification(email: $email) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email isVerified } }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email isVerified } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email username isVerified isSuperuser } }\n"): (typeof documents)["\n  mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { id email username isVerified isSuperuser } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email } }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUser($id: ID!) { user(id: $id) { id email username isActive } }\n"): (typeof documents)["\n  query AdminUser($id: ID!) { user(id: $id) { id email username isActive } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, search: $search) {\n      edges { node { username email } } pageInfo { hasNextPage endCursor } }\n  }\n"): (typeof documents)["\n  query AdminUsers($first: Int, $after: String, $search: String) {\n    users(first: $first, after: $after, search: $search) {\n      edges { node { username email } } pageInfo { hasNextPage endCursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { id email username isActive isVerified isSuperuser }\n  }\n"): (typeof documents)["\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { id email username isActive isVerified isSuperuser }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI { me { id username email } }\n"): (typeof documents)["\n  query WhoAmI { me { id username email } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyId { me { id } }\n"): (typeof documents)["\n  query MyId { me { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Usernames($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }\n"): (typeof documents)["\n  query Usernames($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeUsername($id: ID!) { node(id: $id) { id ... on User { username } } }\n"): (typeof documents)["\n  query NodeUsername($id: ID!) { node(id: $id) { id ... on User { username } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginPosts($email: String!, $password: String!) {\n    login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } }\n  }\n"): (typeof documents)["\n  mutation LoginPosts($email: String!, $password: String!) {\n    login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectionType { __type(name: \"PostConnection\") { name } }\n"): (typeof documents)["\n  query ConnectionType { __type(name: \"PostConnection\") { name } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyPostsPage($n: Int) { me { posts(first: $n) { edges { cursor } pageInfo { hasNextPage } } } }\n"): (typeof documents)["\n  query MyPostsPage($n: Int) { me { posts(first: $n) { edges { cursor } pageInfo { hasNextPage } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LargeFeedPage($n: Int) { feed(first: $n) { edges { node { id caption url author { username } } } } }\n"): (typeof documents)["\n  query LargeFeedPage($n: Int) { feed(first: $n) { edges { node { id caption url author { username } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMeAndDeleteMe($input: UpdateMeInput!, $password: String!) {\n    updateMe(input: $input) { id } deleteMe(password: $password)\n  }\n"): (typeof documents)["\n  mutation UpdateMeAndDeleteMe($input: UpdateMeInput!, $password: String!) {\n    updateMe(input: $input) { id } deleteMe(password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UploadAuth($fileName: String) {\n    imageKitUploadAuth(fileName: $fileName) {\n      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }\n    }\n  }\n"): (typeof documents)["\n  query UploadAuth($fileName: String) {\n    imageKitUploadAuth(fileName: $fileName) {\n      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFromImageKit($fileId: String!, $caption: String) {\n    createPostFromImageKit(fileId: $fileId, caption: $caption) {\n      id caption url thumbnailUrl fileType mimeType fileName size isOwner\n    }\n  }\n"): (typeof documents)["\n  mutation CreateFromImageKit($fileId: String!, $caption: String) {\n    createPostFromImageKit(fileId: $fileId, caption: $caption) {\n      id caption url thumbnailUrl fileType mimeType fileName size isOwner\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadAvatar($file: Upload!) {\n    uploadAvatar(file: $file) { id avatarUrl small: avatarUrl(size: 100) big: avatarUrl(size: 300) }\n  }\n"): (typeof documents)["\n  mutation UploadAvatar($file: Upload!) {\n    uploadAvatar(file: $file) { id avatarUrl small: avatarUrl(size: 100) big: avatarUrl(size: 300) }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAvatar { me { avatarUrl small: avatarUrl(size: 100) } }\n"): (typeof documents)["\n  query MyAvatar { me { avatarUrl small: avatarUrl(size: 100) } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedAvatar { feed(first: 1) { edges { node { author { username avatarUrl } } } } }\n"): (typeof documents)["\n  query FeedAvatar { feed(first: 1) { edges { node { author { username avatarUrl } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAvatar { deleteAvatar { id } }\n"): (typeof documents)["\n  mutation DeleteAvatar { deleteAvatar { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAvatarUrl { deleteAvatar { avatarUrl } }\n"): (typeof documents)["\n  mutation DeleteAvatarUrl { deleteAvatar { avatarUrl } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostUrls($id: ID!) {\n    post(id: $id) { id url small: url(width: 300) box: url(width: 300, height: 200) thumbnailUrl fileType }\n  }\n"): (typeof documents)["\n  query PostUrls($id: ID!) {\n    post(id: $id) { id url small: url(width: 300) box: url(width: 300, height: 200) thumbnailUrl fileType }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostMedia($id: ID!) {\n    post(id: $id) {\n      id fileType mimeType size width height duration blurhash srcSet url thumbnailUrl\n      w300: url(width: 300) box: url(width: 1000, height: 500) huge: url(width: 4000)\n    }\n  }\n"): (typeof documents)["\n  query PostMedia($id: ID!) {\n    post(id: $id) {\n      id fileType mimeType size width height duration blurhash srcSet url thumbnailUrl\n      w300: url(width: 300) box: url(width: 1000, height: 500) huge: url(width: 4000)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePost($id: ID!) { deletePost(id: $id) }\n"): (typeof documents)["\n  mutation DeletePost($id: ID!) { deletePost(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCaption($id: ID!, $caption: String) { updatePost(id: $id, caption: $caption) { id caption } }\n"): (typeof documents)["\n  mutation UpdateCaption($id: ID!, $caption: String) { updatePost(id: $id, caption: $caption) { id caption } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedIds { feed(first: 100) { edges { node { id } } } }\n"): (typeof documents)["\n  query FeedIds { feed(first: 100) { edges { node { id } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedCursors($after: String) { feed(first: 30, after: $after) { edges { cursor node { id } } } }\n"): (typeof documents)["\n  query FeedCursors($after: String) { feed(first: 30, after: $after) { edges { cursor node { id } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Feed($first: Int, $after: String) {\n    feed(first: $first, after: $after) {\n      edges { cursor node { id caption isOwner author { id username email } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Feed($first: Int, $after: String) {\n    feed(first: $first, after: $after) {\n      edges { cursor node { id caption isOwner author { id username email } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserPosts($id: ID!) {\n    node(id: $id) { __typename ... on User { username email posts(first: 2) {\n      edges { node { caption author { id } } } pageInfo { hasNextPage } } } }\n  }\n"): (typeof documents)["\n  query UserPosts($id: ID!) {\n    node(id: $id) { __typename ... on User { username email posts(first: 2) {\n      edges { node { caption author { id } } } pageInfo { hasNextPage } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostAuthor($id: ID!) { post(id: $id) { id author { username } } }\n"): (typeof documents)["\n  query PostAuthor($id: ID!) { post(id: $id) { id author { username } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostId($id: ID!) { post(id: $id) { id } }\n"): (typeof documents)["\n  query PostId($id: ID!) { post(id: $id) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthorPostsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) { ... on User { posts(first: $first, after: $after, last: $last, before: $before) {\n      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }\n  }\n"): (typeof documents)["\n  query AuthorPostsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) { ... on User { posts(first: $first, after: $after, last: $last, before: $before) {\n      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NestedPosts($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption } } pageInfo { hasNextPage } } } } }\n    }\n  }\n"): (typeof documents)["\n  query NestedPosts($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption } } pageInfo { hasNextPage } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NestedPostsWithAuthors($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption author { username } } } pageInfo { hasNextPage } } } } }\n    }\n  }\n"): (typeof documents)["\n  query NestedPostsWithAuthors($first: Int) {\n    feed(first: $first) {\n      edges { node { id author { id posts(first: 5) {\n        edges { node { id caption author { username } } } pageInfo { hasNextPage } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedCaptions($first: Int, $after: String) {\n    feed(first: $first, after: $after) { edges { node { id caption } } pageInfo { hasNextPage endCursor } }\n  }\n"): (typeof documents)["\n  query FeedCaptions($first: Int, $after: String) {\n    feed(first: $first, after: $after) { edges { node { id caption } } pageInfo { hasNextPage endCursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedAuthors { feed(first: 50) { edges { node { id author { username } } } } }\n"): (typeof documents)["\n  query FeedAuthors { feed(first: 50) { edges { node { id author { username } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UploadLimits {\n    uploadLimits { maxBytes acceptedMimeTypes captionMaxLength remainingUploadsThisHour remainingBytesToday }\n  }\n"): (typeof documents)["\n  query UploadLimits {\n    uploadLimits { maxBytes acceptedMimeTypes captionMaxLength remainingUploadsThisHour remainingBytesToday }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginCookie($email: String!, $password: String!) {\n    login(email: $email, password: $password, transport: COOKIE) {\n      token tokenType transport expiresAt refreshToken refreshExpiresAt user { id }\n    }\n  }\n"): (typeof documents)["\n  mutation LoginCookie($email: String!, $password: String!) {\n    login(email: $email, password: $password, transport: COOKIE) {\n      token tokenType transport expiresAt refreshToken refreshExpiresAt user { id }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginTransportOmitted($e: String!, $p: String!) { login(email: $e, password: $p) { token transport } }\n"): (typeof documents)["\n  mutation LoginTransportOmitted($e: String!, $p: String!) { login(email: $e, password: $p) { token transport } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginTransportNull($e: String!, $p: String!) {\n    login(email: $e, password: $p, transport: null) { token transport }\n  }\n"): (typeof documents)["\n  mutation LoginTransportNull($e: String!, $p: String!) {\n    login(email: $e, password: $p, transport: null) { token transport }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionUser { me { id username } }\n"): (typeof documents)["\n  query SessionUser { me { id username } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessionsSeen { mySessions { transport current userAgent } }\n"): (typeof documents)["\n  query MySessionsSeen { mySessions { transport current userAgent } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout { logout }\n"): (typeof documents)["\n  mutation Logout { logout }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetBioOnly($bio: String) { updateMe(input: { bio: $bio }) { bio } }\n"): (typeof documents)["\n  mutation SetBioOnly($bio: String) { updateMe(input: { bio: $bio }) { bio } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginToken($e: String!, $p: String!) { login(email: $e, password: $p) { token } }\n"): (typeof documents)["\n  mutation LoginToken($e: String!, $p: String!) { login(email: $e, password: $p) { token } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessionsAll { mySessions { id transport createdAt lastUsedAt expiresAt userAgent current } }\n"): (typeof documents)["\n  query MySessionsAll { mySessions { id transport createdAt lastUsedAt expiresAt userAgent current } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteOAuth($code: String!, $transport: AuthTransport) {\n    completeOAuthSignIn(code: $code, transport: $transport) {\n      token tokenType transport refreshToken refreshExpiresAt user { id username email isVerified linkedProviders }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteOAuth($code: String!, $transport: AuthTransport) {\n    completeOAuthSignIn(code: $code, transport: $transport) {\n      token tokenType transport refreshToken refreshExpiresAt user { id username email isVerified linkedProviders }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyLinkedProviders { me { linkedProviders } }\n"): (typeof documents)["\n  query MyLinkedProviders { me { linkedProviders } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteOAuthToken($code: String!) { completeOAuthSignIn(code: $code) { token user { id email } } }\n"): (typeof documents)["\n  mutation CompleteOAuthToken($code: String!) { completeOAuthSignIn(code: $code) { token user { id email } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlinkProvider($provider: String!) { unlinkProvider(provider: $provider) }\n"): (typeof documents)["\n  mutation UnlinkProvider($provider: String!) { unlinkProvider(provider: $provider) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessionsLastUsed { mySessions { id lastUsedAt current } }\n"): (typeof documents)["\n  query MySessionsLastUsed { mySessions { id lastUsedAt current } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessionsTransports { mySessions { id transport } }\n"): (typeof documents)["\n  query MySessionsTransports { mySessions { id transport } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Follow($userId: ID!) {\n    followUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n"): (typeof documents)["\n  mutation Follow($userId: ID!) {\n    followUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Unfollow($userId: ID!) {\n    unfollowUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n"): (typeof documents)["\n  mutation Unfollow($userId: ID!) {\n    unfollowUser(userId: $userId) { id followerCount followingCount viewerFollows }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Like($postId: ID!) {\n    likePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n"): (typeof documents)["\n  mutation Like($postId: ID!) {\n    likePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Unlike($postId: ID!) {\n    unlikePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n"): (typeof documents)["\n  mutation Unlike($postId: ID!) {\n    unlikePost(postId: $postId) { id likeCount commentCount viewerHasLiked }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id body createdAt isOwner author { id username } post { id commentCount }\n    }\n  }\n"): (typeof documents)["\n  mutation AddComment($postId: ID!, $body: String!) {\n    addComment(postId: $postId, body: $body) {\n      id body createdAt isOwner author { id username } post { id commentCount }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteComment($id: ID!) { deleteComment(id: $id) }\n"): (typeof documents)["\n  mutation DeleteComment($id: ID!) { deleteComment(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profile($username: String!) {\n    userByUsername(username: $username) { id username bio followerCount followingCount postCount viewerFollows }\n  }\n"): (typeof documents)["\n  query Profile($username: String!) {\n    userByUsername(username: $username) { id username bio followerCount followingCount postCount viewerFollows }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyCounts { me { id followerCount followingCount postCount viewerFollows } }\n"): (typeof documents)["\n  query MyCounts { me { id followerCount followingCount postCount viewerFollows } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Followers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { followers(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n"): (typeof documents)["\n  query Followers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { followers(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Following($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { following(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n"): (typeof documents)["\n  query Following($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on User { following(first: $first, after: $after) {\n      edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetBio($bio: String) { updateMe(input: { bio: $bio }) { id bio } }\n"): (typeof documents)["\n  mutation SetBio($bio: String) { updateMe(input: { bio: $bio }) { id bio } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostLikes($id: ID!) { node(id: $id) { ... on Post { likeCount viewerHasLiked } } }\n"): (typeof documents)["\n  query PostLikes($id: ID!) { node(id: $id) { ... on Post { likeCount viewerHasLiked } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Likers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { likers(first: $first, after: $after) {\n      edges { cursor node { id username } } pageInfo { hasNextPage endCursor } } } }\n  }\n"): (typeof documents)["\n  query Likers($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { likers(first: $first, after: $after) {\n      edges { cursor node { id username } } pageInfo { hasNextPage endCursor } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LikeUnlikeLike($p: ID!) {\n    a: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    b: unlikePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    c: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n  }\n"): (typeof documents)["\n  mutation LikeUnlikeLike($p: ID!) {\n    a: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    b: unlikePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n    c: likePost(postId: $p) { likeCount viewerHasLiked likers { edges { cursor } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Comments($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { commentCount comments(first: $first, after: $after) {\n      edges { cursor node { id body isOwner author { id username } post { id } } }\n      pageInfo { hasNextPage endCursor } } } }\n  }\n"): (typeof documents)["\n  query Comments($id: ID!, $first: Int, $after: String) {\n    node(id: $id) { ... on Post { commentCount comments(first: $first, after: $after) {\n      edges { cursor node { id body isOwner author { id username } post { id } } }\n      pageInfo { hasNextPage endCursor } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommentBody($id: ID!) { node(id: $id) { ... on Comment { body } } }\n"): (typeof documents)["\n  query CommentBody($id: ID!) { node(id: $id) { ... on Comment { body } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialFeed {\n    feed(first: 50) { edges { node { id caption likeCount commentCount viewerHasLiked\n      author { id bio followerCount viewerFollows } } } }\n  }\n"): (typeof documents)["\n  query SocialFeed {\n    feed(first: 50) { edges { node { id caption likeCount commentCount viewerHasLiked\n      author { id bio followerCount viewerFollows } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialPost($id: ID!) {\n    node(id: $id) { ... on Post { caption likeCount commentCount viewerHasLiked\n      comments { edges { node { id body } } } likers { edges { node { id } } } } }\n  }\n"): (typeof documents)["\n  query SocialPost($id: ID!) {\n    node(id: $id) { ... on Post { caption likeCount commentCount viewerHasLiked\n      comments { edges { node { id body } } } likers { edges { node { id } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FollowState($id: ID!) {\n    me { followingCount following { edges { node { id } } } }\n    node(id: $id) { ... on User { followerCount viewerFollows followers { edges { node { id } } } } }\n  }\n"): (typeof documents)["\n  query FollowState($id: ID!) {\n    me { followingCount following { edges { node { id } } } }\n    node(id: $id) { ... on User { followerCount viewerFollows followers { edges { node { id } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomeIds { homeFeed(first: 50) { edges { node { id } } } }\n"): (typeof documents)["\n  query HomeIds { homeFeed(first: 50) { edges { node { id } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserSocialView($id: ID!) {\n    node(id: $id) { ... on User {\n      followerCount followingCount postCount\n      followers { edges { node { id } } } following { edges { node { id } } } } }\n  }\n"): (typeof documents)["\n  query UserSocialView($id: ID!) {\n    node(id: $id) { ... on User {\n      followerCount followingCount postCount\n      followers { edges { node { id } } } following { edges { node { id } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostSocialView($id: ID!) {\n    node(id: $id) { ... on Post {\n      likeCount commentCount likers { edges { node { id } } } comments { edges { node { author { id } } } } } }\n  }\n"): (typeof documents)["\n  query PostSocialView($id: ID!) {\n    node(id: $id) { ... on Post {\n      likeCount commentCount likers { edges { node { id } } } comments { edges { node { author { id } } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomePage($first: Int, $after: String, $last: Int, $before: String) {\n    homeFeed(first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }\n  }\n"): (typeof documents)["\n  query HomePage($first: Int, $after: String, $last: Int, $before: String) {\n    homeFeed(first: $first, after: $after, last: $last, before: $before) {\n      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SocialPostFields on Post {\n    id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }\n  }\n"): (typeof documents)["\n  fragment SocialPostFields on Post {\n    id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialFeedPage($first: Int) { feed(first: $first) { edges { node { ...SocialPostFields } } } }\n"): (typeof documents)["\n  query SocialFeedPage($first: Int) { feed(first: $first) { edges { node { ...SocialPostFields } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialHomePage($first: Int) { homeFeed(first: $first) { edges { node { ...SocialPostFields } } } }\n"): (typeof documents)["\n  query SocialHomePage($first: Int) { homeFeed(first: $first) { edges { node { ...SocialPostFields } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommentsWithAuthors($id: ID!, $first: Int) {\n    node(id: $id) { ... on Post { comments(first: $first) {\n      edges { node { id body isOwner author { id username followerCount viewerFollows } } } } } }\n  }\n"): (typeof documents)["\n  query CommentsWithAuthors($id: ID!, $first: Int) {\n    node(id: $id) { ... on Post { comments(first: $first) {\n      edges { node { id body isOwner author { id username followerCount viewerFollows } } } } } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;