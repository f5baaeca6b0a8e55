-- Sign-in sessions (a login's chain of refresh tokens) ended before their tokens expire: by
-- logout, or because a refresh token was replayed (stolen). Access tokens carry their session's
-- id (`sid`), and the query that loads the signed-in user refuses one listed here, so an access
-- token stops working with its session instead of living out its hour. A row can go once the
-- session's last access token has expired (`expires_at`; the worker's housekeeping deletes it).
CREATE TABLE revoked_sessions (
    sid         TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX revoked_sessions_expires_idx ON revoked_sessions (expires_at);
