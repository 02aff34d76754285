-- What a photo app shows of each post's file: its BlurHash placeholder, and a local video's poster.
-- AlterTable
ALTER TABLE "Post" ADD COLUMN "blurhash" TEXT;
ALTER TABLE "Post" ADD COLUMN "posterKey" TEXT;

