DROP INDEX users_email_unique ON users;
ALTER TABLE users DROP COLUMN email;
