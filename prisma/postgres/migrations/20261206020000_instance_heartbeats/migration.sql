-- Instances serving a SQLite database, so a second one that would not hear the first refuses to start
-- (src/infra/instance-heartbeat.ts). The table exists on PostgreSQL too, unused: one model file.
-- CreateTable
CREATE TABLE "InstanceHeartbeat" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstanceHeartbeat_pkey" PRIMARY KEY ("id")
);
