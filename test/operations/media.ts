// Media (ImageKit direct uploads, avatars) as the API tests send them: `npm run codegen` types each
// graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

/** imageKitUploadAuth with every field, for a file name given as $fileName. */
export const UPLOAD_AUTH = graphql(`
  query UploadAuth($fileName: String) {
    imageKitUploadAuth(fileName: $fileName) {
      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }
    }
  }
`);

export const CREATE_FROM_IMAGEKIT = graphql(`
  mutation CreateFromImageKit($fileId: String!, $caption: String) {
    createPostFromImageKit(fileId: $fileId, caption: $caption) {
      id caption url thumbnailUrl fileType mimeType fileName size isOwner
    }
  }
`);

/** Sent as multipart (test/avatars.test.ts): the file travels in part 0, mapped to variables.file. */
export const UPLOAD_AVATAR = graphql(`
  mutation UploadAvatar($file: Upload!) {
    uploadAvatar(file: $file) { id avatarUrl small: avatarUrl(size: 100) big: avatarUrl(size: 300) }
  }
`);

export const MY_AVATAR = graphql(`
  query MyAvatar { me { avatarUrl small: avatarUrl(size: 100) } }
`);

export const FEED_AVATAR = graphql(`
  query FeedAvatar { feed(first: 1) { edges { node { author { username avatarUrl } } } } }
`);

export const DELETE_AVATAR = graphql(`
  mutation DeleteAvatar { deleteAvatar { id } }
`);

export const DELETE_AVATAR_URL = graphql(`
  mutation DeleteAvatarUrl { deleteAvatar { avatarUrl } }
`);

/** A post's URLs at a few sizes (test/imagekit-storage.test.ts). */
export const POST_URLS = graphql(`
  query PostUrls($id: ID!) {
    post(id: $id) { id url small: url(width: 300) box: url(width: 300, height: 200) thumbnailUrl fileType }
  }
`);

/** A post's media fields, read back after an upload (test/media.test.ts, test/imagekit-media.test.ts). */
export const POST_MEDIA = graphql(`
  query PostMedia($id: ID!) {
    post(id: $id) {
      id fileType mimeType size width height duration blurhash srcSet url thumbnailUrl
      w300: url(width: 300) box: url(width: 1000, height: 500) huge: url(width: 4000)
    }
  }
`);
