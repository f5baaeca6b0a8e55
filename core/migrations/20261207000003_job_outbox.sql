-- Jobs that a write causes (an email, options to generate, an exam to prepare), stored in the
-- write's own transaction: they survive a Redis outage and a crash right after the commit. The
-- api relays its rows to the Redis queue right after committing and deletes them; the worker
-- relays whatever is left (Redis was down) once Redis answers. Delivery stays at-least-once.
CREATE TABLE job_outbox (
    id          BIGSERIAL PRIMARY KEY,
    job_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
