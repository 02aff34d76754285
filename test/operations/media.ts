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
