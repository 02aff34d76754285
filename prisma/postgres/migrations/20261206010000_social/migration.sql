-- Follows, likes, comments, profiles (bio, avatar) and their counts.
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "avatarFileId" TEXT,
ADD COLUMN     "avatarKey" TEXT,
ADD COLUMN     "avatarStorage" "StorageBackend",
ADD COLUMN     "bio" TEXT,
ADD COLUMN     "followerCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "followingCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "postCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "commentCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "likeCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Follow" (
    "id" TEXT NOT NULL,
    "followerId" TEXT NOT NULL,
    "followeeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Follow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Like" (
    "id" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Like_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Follow_followeeId_createdAt_id_idx" ON "Follow"("followeeId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Follow_followerId_createdAt_id_idx" ON "Follow"("followerId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Follow_followerId_followeeId_key" ON "Follow"("followerId", "followeeId");

-- CreateIndex
CREATE INDEX "Like_postId_createdAt_id_idx" ON "Like"("postId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Like_userId_idx" ON "Like"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Like_postId_userId_key" ON "Like"("postId", "userId");

-- CreateIndex
CREATE INDEX "Comment_postId_createdAt_id_idx" ON "Comment"("postId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Comment_authorId_idx" ON "Comment"("authorId");

-- CreateIndex
CREATE UNIQUE INDEX "User_avatarFileId_key" ON "User"("avatarFileId");

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_followeeId_fkey" FOREIGN KEY ("followeeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Like" ADD CONSTRAINT "Like_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Like" ADD CONSTRAINT "Like_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Counts kept by the database itself, in the statement that changes the rows, whatever changes them:
-- a follow, like or comment written or removed, and every cascade of a deleted post or account
-- (docs/decisions/0011-stored-counts.md). Written by hand: Prisma does not model triggers, and
-- migrate diff leaves them alone, so they cause no drift. Each function body is one E'' string whose
-- semicolons are written \x3b and line breaks \n: `prisma migrate deploy` splits a script at every
-- semicolon, inside quotes too, and this runs through it as through our runner (src/db/migrate.ts).
UPDATE "User" SET "postCount" = (SELECT COUNT(*) FROM "Post" WHERE "Post"."authorId" = "User"."id");

CREATE FUNCTION "post_counts"() RETURNS trigger LANGUAGE plpgsql AS E'\nBEGIN\n  IF TG_OP = \'INSERT\' THEN\n    UPDATE "User" SET "postCount" = "postCount" + 1 WHERE "id" = NEW."authorId"\x3b\n  ELSE\n    UPDATE "User" SET "postCount" = "postCount" - 1 WHERE "id" = OLD."authorId"\x3b\n  END IF\x3b\n  RETURN NULL\x3b\nEND ';
CREATE TRIGGER "Post_counts" AFTER INSERT OR DELETE ON "Post" FOR EACH ROW EXECUTE FUNCTION "post_counts"();

CREATE FUNCTION "follow_counts"() RETURNS trigger LANGUAGE plpgsql AS E'\nBEGIN\n  IF TG_OP = \'INSERT\' THEN\n    UPDATE "User" SET "followerCount" = "followerCount" + 1 WHERE "id" = NEW."followeeId"\x3b\n    UPDATE "User" SET "followingCount" = "followingCount" + 1 WHERE "id" = NEW."followerId"\x3b\n  ELSE\n    UPDATE "User" SET "followerCount" = "followerCount" - 1 WHERE "id" = OLD."followeeId"\x3b\n    UPDATE "User" SET "followingCount" = "followingCount" - 1 WHERE "id" = OLD."followerId"\x3b\n  END IF\x3b\n  RETURN NULL\x3b\nEND ';
CREATE TRIGGER "Follow_counts" AFTER INSERT OR DELETE ON "Follow" FOR EACH ROW EXECUTE FUNCTION "follow_counts"();

CREATE FUNCTION "like_counts"() RETURNS trigger LANGUAGE plpgsql AS E'\nBEGIN\n  IF TG_OP = \'INSERT\' THEN\n    UPDATE "Post" SET "likeCount" = "likeCount" + 1 WHERE "id" = NEW."postId"\x3b\n  ELSE\n    UPDATE "Post" SET "likeCount" = "likeCount" - 1 WHERE "id" = OLD."postId"\x3b\n  END IF\x3b\n  RETURN NULL\x3b\nEND ';
CREATE TRIGGER "Like_counts" AFTER INSERT OR DELETE ON "Like" FOR EACH ROW EXECUTE FUNCTION "like_counts"();

CREATE FUNCTION "comment_counts"() RETURNS trigger LANGUAGE plpgsql AS E'\nBEGIN\n  IF TG_OP = \'INSERT\' THEN\n    UPDATE "Post" SET "commentCount" = "commentCount" + 1 WHERE "id" = NEW."postId"\x3b\n  ELSE\n    UPDATE "Post" SET "commentCount" = "commentCount" - 1 WHERE "id" = OLD."postId"\x3b\n  END IF\x3b\n  RETURN NULL\x3b\nEND ';
CREATE TRIGGER "Comment_counts" AFTER INSERT OR DELETE ON "Comment" FOR EACH ROW EXECUTE FUNCTION "comment_counts"();
