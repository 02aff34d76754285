-- DropIndex
DROP INDEX "Post_createdAt_id_idx";

-- DropIndex
DROP INDEX "Post_authorId_createdAt_id_idx";

-- CreateIndex
CREATE INDEX "Post_createdAt_id_authorId_hidden_idx" ON "Post"("createdAt" DESC, "id" DESC, "authorId", "hidden");

-- CreateIndex
CREATE INDEX "Post_authorId_createdAt_id_hidden_idx" ON "Post"("authorId", "createdAt" DESC, "id" DESC, "hidden");

