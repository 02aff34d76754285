-- CreateTable
CREATE TABLE "PendingMediaDeletion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storage" TEXT NOT NULL,
    "fileId" TEXT,
    "storageKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PendingMediaDeletion_nextAttemptAt_idx" ON "PendingMediaDeletion"("nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Post_fileId_key" ON "Post"("fileId");

