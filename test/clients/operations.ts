// The operations a frontend needs for the main flows, as typed documents: `npm run codegen`
// turns each graphql(...) below into a TypedDocumentNode with its result and variables types.
import { graphql } from './generated/gql.ts';

/** What a post card shows; feed and User.posts both return PostConnection, so both use it. */
export const PostFields = graphql(`
  fragment PostFields on Post {
    id
    caption
    url
    thumbnailUrl
    fileType
    fileName
    mimeType
    size
    width
    height
    blurhash
    srcSet
    createdAt
    isOwner
    author {
      id
      username
    }
  }
`);

/** One page of a PostConnection with what the next page needs. */
export const PostPage = graphql(`
  fragment PostPage on PostConnection {
    edges {
      cursor
      node {
        ...PostFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      id
      username
      email
      isVerified
      createdAt
    }
  }
`);

/** BEARER (the default) answers a token and a refresh token; COOKIE sets the session cookie instead. */
export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!, $transport: AuthTransport = BEARER) {
    login(email: $email, password: $password, transport: $transport) {
      token
      tokenType
      transport
      expiresAt
      refreshToken
      refreshExpiresAt
      user {
        id
        username
        email
      }
    }
  }
`);

/** A bearer client renews its session before expiresAt: the refresh token it gives dies, a new pair comes back. */
export const RefreshSessionMutation = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      token
      expiresAt
      refreshToken
      refreshExpiresAt
    }
  }
`);

export const MySessionsQuery = graphql(`
  query MySessions {
    mySessions {
      id
      transport
      userAgent
      current
      lastUsedAt
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export const MeQuery = graphql(`
  query Me($postsFirst: Int = 20, $postsAfter: String) {
    me {
      id
      username
      email
      isSuperuser
      createdAt
      posts(first: $postsFirst, after: $postsAfter) {
        ...PostPage
      }
    }
  }
`);

export const FeedQuery = graphql(`
  query Feed($first: Int = 20, $after: String) {
    feed(first: $first, after: $after) {
      ...PostPage
    }
  }
`);

export const UploadPostMutation = graphql(`
  mutation UploadPost($file: Upload!, $caption: String) {
    uploadPost(file: $file, caption: $caption) {
      ...PostFields
    }
  }
`);

export const DeletePostMutation = graphql(`
  mutation DeletePost($id: ID!) {
    deletePost(id: $id)
  }
`);

export const UploadLimitsQuery = graphql(`
  query UploadLimits {
    uploadLimits {
      maxBytes
      acceptedMimeTypes
      captionMaxLength
      remainingUploadsThisHour
      remainingBytesToday
    }
  }
`);
