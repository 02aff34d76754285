-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PendingMediaDeletion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storage" TEXT NOT NULL,
    "fileId" TEXT,
    "storageKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL DEFAULT 'deleted'
);
INSERT INTO "new_PendingMediaDeletion" ("attempts", "createdAt", "fileId", "id", "lastError", "nextAttemptAt", "storage", "storageKey") SELECT "attempts", "createdAt", "fileId", "id", "lastError", "nextAttemptAt", "storage", "storageKey" FROM "PendingMediaDeletion";
DROP TABLE "PendingMediaDeletion";
ALTER TABLE "new_PendingMediaDeletion" RENAME TO "PendingMediaDeletion";
CREATE INDEX "PendingMediaDeletion_nextAttemptAt_idx" ON "PendingMediaDeletion"("nextAttemptAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

