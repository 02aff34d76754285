-- Sessions that last: how a session travels (bearer or cookie), when it was last used, its absolute
-- expiry and the user agent, and refresh tokens (hashed) per session. Sessions signed in before this keep
-- working until their expiry, which becomes their absolute expiry too.
-- CreateEnum
CREATE TYPE "SessionTransport" AS ENUM ('BEARER', 'COOKIE');

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "absoluteExpiresAt" TIMESTAMP(3),
ADD COLUMN     "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "transport" "SessionTransport" NOT NULL DEFAULT 'BEARER',
ADD COLUMN     "userAgent" TEXT;
UPDATE "Session" SET "absoluteExpiresAt" = "expiresAt", "lastUsedAt" = "createdAt";
ALTER TABLE "Session" ALTER COLUMN "absoluteExpiresAt" SET NOT NULL;

-- CreateTable
CREATE TABLE "RefreshToken" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "rotatedAt" TIMESTAMP(3),

    CONSTRAINT "RefreshToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RefreshToken_tokenHash_key" ON "RefreshToken"("tokenHash");

-- CreateIndex
CREATE INDEX "RefreshToken_sessionId_idx" ON "RefreshToken"("sessionId");

-- CreateIndex
CREATE INDEX "RefreshToken_expiresAt_idx" ON "RefreshToken"("expiresAt");

-- AddForeignKey
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
