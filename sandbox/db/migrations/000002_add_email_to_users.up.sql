ALTER TABLE users ADD COLUMN email VARCHAR(255) NULL AFTER name;
CREATE UNIQUE INDEX users_email_unique ON users (email);
