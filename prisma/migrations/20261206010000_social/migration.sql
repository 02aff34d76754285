-- Follows, likes, comments, profiles (bio, avatar) and their counts.
-- CreateTable
CREATE TABLE "Follow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "followerId" TEXT NOT NULL,
    "followeeId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Follow_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Follow_followeeId_fkey" FOREIGN KEY ("followeeId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Like" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "postId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Like_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Like_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "postId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: added in place (SQLite adds a column with a constant default without rewriting the table)
ALTER TABLE "User" ADD COLUMN "bio" TEXT;
ALTER TABLE "User" ADD COLUMN "avatarStorage" TEXT;
ALTER TABLE "User" ADD COLUMN "avatarKey" TEXT;
ALTER TABLE "User" ADD COLUMN "avatarFileId" TEXT;
ALTER TABLE "User" ADD COLUMN "followerCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "followingCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "postCount" INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX "User_avatarFileId_key" ON "User"("avatarFileId");
ALTER TABLE "Post" ADD COLUMN "likeCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Post" ADD COLUMN "commentCount" INTEGER NOT NULL DEFAULT 0;

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

-- Counts kept by the database itself, in the statement that changes the rows, whatever changes them:
-- a follow, like or comment written or removed, and every cascade of a deleted post or account
-- (docs/decisions/0011-stored-counts.md). Written by hand: Prisma does not model triggers, and
-- migrate diff leaves them alone, so they cause no drift.
UPDATE "User" SET "postCount" = (SELECT COUNT(*) FROM "Post" WHERE "Post"."authorId" = "User"."id");

CREATE TRIGGER "Post_counts_insert" AFTER INSERT ON "Post" BEGIN
  UPDATE "User" SET "postCount" = "postCount" + 1 WHERE "id" = NEW."authorId";
END;
CREATE TRIGGER "Post_counts_delete" AFTER DELETE ON "Post" BEGIN
  UPDATE "User" SET "postCount" = "postCount" - 1 WHERE "id" = OLD."authorId";
END;
CREATE TRIGGER "Follow_counts_insert" AFTER INSERT ON "Follow" BEGIN
  UPDATE "User" SET "followerCount" = "followerCount" + 1 WHERE "id" = NEW."followeeId";
  UPDATE "User" SET "followingCount" = "followingCount" + 1 WHERE "id" = NEW."followerId";
END;
CREATE TRIGGER "Follow_counts_delete" AFTER DELETE ON "Follow" BEGIN
  UPDATE "User" SET "followerCount" = "followerCount" - 1 WHERE "id" = OLD."followeeId";
  UPDATE "User" SET "followingCount" = "followingCount" - 1 WHERE "id" = OLD."followerId";
END;
CREATE TRIGGER "Like_counts_insert" AFTER INSERT ON "Like" BEGIN
  UPDATE "Post" SET "likeCount" = "likeCount" + 1 WHERE "id" = NEW."postId";
END;
CREATE TRIGGER "Like_counts_delete" AFTER DELETE ON "Like" BEGIN
  UPDATE "Post" SET "likeCount" = "likeCount" - 1 WHERE "id" = OLD."postId";
END;
CREATE TRIGGER "Comment_counts_insert" AFTER INSERT ON "Comment" BEGIN
  UPDATE "Post" SET "commentCount" = "commentCount" + 1 WHERE "id" = NEW."postId";
END;
CREATE TRIGGER "Comment_counts_delete" AFTER DELETE ON "Comment" BEGIN
  UPDATE "Post" SET "commentCount" = "commentCount" - 1 WHERE "id" = OLD."postId";
END;
