-- CreateTable
CREATE TABLE "PendingMediaDeletion" (
    "id" TEXT NOT NULL,
    "storage" TEXT NOT NULL,
    "fileId" TEXT,
    "storageKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingMediaDeletion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingMediaDeletion_nextAttemptAt_idx" ON "PendingMediaDeletion"("nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Post_fileId_key" ON "Post"("fileId");

