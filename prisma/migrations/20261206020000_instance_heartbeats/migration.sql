-- Instances serving a SQLite database, so a second one that would not hear the first refuses to start
-- (src/infra/instance-heartbeat.ts). The table exists on PostgreSQL too, unused: one model file.
-- CreateTable
CREATE TABLE "InstanceHeartbeat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "beatAt" DATETIME NOT NULL
);
