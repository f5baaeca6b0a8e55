-- How many contents each user has, kept by a trigger: the auth query reads it with the user,
-- so the contents list and the dashboard need no count(*) over the user's contents.
ALTER TABLE users ADD COLUMN content_count INTEGER NOT NULL DEFAULT 0
    CONSTRAINT users_content_count_range CHECK (content_count >= 0);

UPDATE users u SET content_count = (SELECT count(*) FROM contents c WHERE c.author_id = u.id);

CREATE FUNCTION count_user_contents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET content_count = content_count + 1 WHERE id = NEW.author_id;
    ELSE
        -- When the user is being deleted (cascade), the row is already gone: nothing to update.
        UPDATE users SET content_count = content_count - 1 WHERE id = OLD.author_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER contents_count_per_user AFTER INSERT OR DELETE ON contents
    FOR EACH ROW EXECUTE FUNCTION count_user_contents();

-- A content's review_count (remembered reviews) from the index alone.
CREATE INDEX review_history_remembered_idx ON review_history (content_id) WHERE result = 'remembered';
