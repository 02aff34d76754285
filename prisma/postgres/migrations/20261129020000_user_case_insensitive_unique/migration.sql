-- Written by hand (PostgreSQL only): Prisma cannot express an index on lower(...) in schema.prisma,
-- and since 4.1 its migrate diff leaves expression indexes alone, so this causes no drift.
-- The app stores email and username lowercased (src/services/passwords.ts), which already makes the
-- plain unique indexes case-insensitive. These make the database guarantee it too, whoever writes.
-- CreateIndex
CREATE UNIQUE INDEX "User_email_lower_key" ON "User"(lower("email"));

-- CreateIndex
CREATE UNIQUE INDEX "User_username_lower_key" ON "User"(lower("username"));
