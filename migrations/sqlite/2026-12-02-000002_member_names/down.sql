ALTER TABLE memberships DROP COLUMN name;
