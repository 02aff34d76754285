-- AlterTable
ALTER TABLE "PendingMediaDeletion" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'deleted';

