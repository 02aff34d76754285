-- PendingMediaDeletion becomes FileRemoval, its kinds UPLOAD and ORPHAN (an enum, which SQLite stores as
-- its name as text). Rows are carried over: a pending removal must survive the rename.
-- CreateTable
CREATE TABLE "FileRemoval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'ORPHAN',
    "storage" TEXT NOT NULL,
    "fileId" TEXT,
    "storageKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "FileRemoval" ("id", "kind", "storage", "fileId", "storageKey", "attempts", "nextAttemptAt", "lastError", "createdAt")
SELECT "id", CASE "kind" WHEN 'upload' THEN 'UPLOAD' ELSE 'ORPHAN' END, "storage", "fileId", "storageKey", "attempts",
       "nextAttemptAt", "lastError", "createdAt"
FROM "PendingMediaDeletion";

-- DropTable
DROP TABLE "PendingMediaDeletion";

-- CreateIndex
CREATE INDEX "FileRemoval_nextAttemptAt_idx" ON "FileRemoval"("nextAttemptAt");
