-- When retention deleted a backup's objects: the admin backup list shows only backups that exist.
-- Nullable, no default: safe while the previous version still runs.
ALTER TABLE backup_runs ADD COLUMN pruned_at TIMESTAMPTZ;
