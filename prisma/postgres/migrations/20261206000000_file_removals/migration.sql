-- PendingMediaDeletion becomes FileRemoval, its kinds UPLOAD and ORPHAN, and Post.storage and
-- FileRemoval.storage the StorageBackend enum. Rows are carried over: a pending removal must survive
-- the rename, and every post keeps its backend.
-- CreateEnum
CREATE TYPE "StorageBackend" AS ENUM ('local', 'imagekit');

-- CreateEnum
CREATE TYPE "FileRemovalKind" AS ENUM ('UPLOAD', 'ORPHAN');

-- AlterTable
ALTER TABLE "Post" ALTER COLUMN "storage" TYPE "StorageBackend" USING "storage"::"StorageBackend";

-- CreateTable
CREATE TABLE "FileRemoval" (
    "id" TEXT NOT NULL,
    "kind" "FileRemovalKind" NOT NULL DEFAULT 'ORPHAN',
    "storage" "StorageBackend" NOT NULL,
    "fileId" TEXT,
    "storageKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FileRemoval_pkey" PRIMARY KEY ("id")
);
INSERT INTO "FileRemoval" ("id", "kind", "storage", "fileId", "storageKey", "attempts", "nextAttemptAt", "lastError", "createdAt")
SELECT "id", (CASE "kind" WHEN 'upload' THEN 'UPLOAD' ELSE 'ORPHAN' END)::"FileRemovalKind", "storage"::"StorageBackend",
       "fileId", "storageKey", "attempts", "nextAttemptAt", "lastError", "createdAt"
FROM "PendingMediaDeletion";

-- DropTable
DROP TABLE "PendingMediaDeletion";

-- CreateIndex
CREATE INDEX "FileRemoval_nextAttemptAt_idx" ON "FileRemoval"("nextAttemptAt");
