-- Learning-core data set for bench/learning.sh: the same rows on every run (setseed), with
-- dates relative to now() so that "due" and "overdue" stay true whenever it runs.
--
-- Run on a migrated database after the PRO user registered through the API (this file copies
-- its password hash to the other users):
--
--   psql -v ON_ERROR_STOP=1 -v pro_email=bench-pro@example.com -f bench/seed-learning.sql "$URL"
--
-- Variables (psql -v; all optional, defaults in brackets):
--   pro_email       the registered PRO user                          [bench-pro@example.com]
--   pro_contents    contents of the PRO user                         [2000]
--   pro_due         of those, due 1-6 days ago (today's list)        [300]
--   pro_history     review_history rows of the PRO user              [7500]
--   users           more users bench-user-<i>@example.com            [200]
--   user_contents   contents per further user                        [50]
--   seed            setseed() argument, -1..1                        [0.42]
--
-- What it makes:
--   PRO user: subscription pro/180 days; 5 categories; pro_contents contents spread over them,
--     each with a schedule (initial review done): pro_due of them 1-6 days overdue, the rest due
--     7-180 days ahead, on the ladder rung that fits the interval; pro_history reviews in the
--     past 120 days (remembered/partial/forgot ~ 60/25/15 %, 5-120 s).
--   users 1..N: tiers free, basic, pro in turn (password hash of the PRO user, email verified,
--     subscription, notification preferences); 2 categories and user_contents contents each,
--     ~15 % due 1-2 days ago, the rest due within the tier's maximum interval; ~8 reviews each.
--
-- Bodies are Markdown of 60-220 words (not counting the `##` and `-` markers): a `## heading`,
-- two paragraphs around 2-4 `- bullet` lines, a few **bold** and `code` words (one word each).
-- Titles are at most 26 characters.

\set ON_ERROR_STOP 1
\if :{?pro_email}
\else
\set pro_email 'bench-pro@example.com'
\endif
\if :{?pro_contents}
\else
\set pro_contents 2000
\endif
\if :{?pro_due}
\else
\set pro_due 300
\endif
\if :{?pro_history}
\else
\set pro_history 7500
\endif
\if :{?users}
\else
\set users 200
\endif
\if :{?user_contents}
\else
\set user_contents 50
\endif
\if :{?seed}
\else
\set seed 0.42
\endif

-- One backend, rows in a fixed order: random() gives the same sequence on every run.
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;

BEGIN;

SELECT set_config('bench.pro_email', :'pro_email', true),
       set_config('bench.pro_contents', (:pro_contents)::int::text, true),
       set_config('bench.pro_due', (:pro_due)::int::text, true),
       set_config('bench.users', (:users)::int::text, true) \g /dev/null

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(current_setting('bench.pro_email'))) THEN
        RAISE EXCEPTION 'seed-learning.sql: no user %; register it through the API first',
            current_setting('bench.pro_email');
    END IF;
    IF EXISTS (SELECT 1 FROM contents) OR EXISTS (SELECT 1 FROM users WHERE email LIKE 'bench-user-%') THEN
        RAISE EXCEPTION 'seed-learning.sql: the database is already seeded; recreate it';
    END IF;
    IF current_setting('bench.pro_due')::int > current_setting('bench.pro_contents')::int THEN
        RAISE EXCEPTION 'seed-learning.sql: pro_due exceeds pro_contents';
    END IF;
END $$;

SELECT setseed(:seed) \g /dev/null

-- Text generators ---------------------------------------------------------------------------

CREATE FUNCTION pg_temp.bench_word() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT (ARRAY[
        'algorithm', 'array', 'binary', 'buffer', 'cache', 'channel', 'closure', 'commit',
        'compiler', 'consensus', 'constant', 'cursor', 'database', 'deadlock', 'derivative',
        'element', 'entropy', 'equation', 'event', 'factor', 'function', 'gradient', 'graph',
        'hash', 'heap', 'index', 'integral', 'interface', 'iterator', 'kernel', 'latency',
        'lattice', 'layer', 'lemma', 'limit', 'matrix', 'memory', 'message', 'method', 'module',
        'mutex', 'network', 'node', 'object', 'operator', 'packet', 'parser', 'partition',
        'pattern', 'pointer', 'polynomial', 'process', 'protocol', 'proof', 'query', 'queue',
        'recursion', 'register', 'relation', 'replica', 'request', 'schema', 'scope', 'segment',
        'sequence', 'server', 'signal', 'socket', 'stack', 'statement', 'stream', 'string',
        'structure', 'syntax', 'table', 'theorem', 'thread', 'token', 'transaction', 'tree',
        'tuple', 'type', 'value', 'variable', 'vector', 'vertex', 'window', 'the', 'a', 'of',
        'to', 'and', 'in', 'is', 'that', 'for', 'with', 'when', 'each', 'every', 'keeps',
        'returns', 'holds', 'splits', 'joins', 'grows', 'stays', 'moves', 'checks', 'stores',
        'reads', 'writes', 'orders', 'counts', 'finds', 'small', 'large', 'fast', 'slow',
        'stable', 'shared', 'local', 'global', 'sorted', 'empty', 'first', 'last', 'next'
    ])[1 + floor(random() * 127)::int]
$$;

CREATE FUNCTION pg_temp.bench_code() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT (ARRAY[
        'SELECT', 'JOIN', 'Vec<T>', 'Option<T>', 'main()', 'O(log(n))', 'O(1)', 'rebase',
        'HashMap', 'std::sync', 'async', 'EXPLAIN', 'malloc', 'fork()', 'TCP_NODELAY', 'x^2',
        'dy/dx', 'sizeof', 'const', '&mut', 'BTreeMap', 'INDEX', 'epoll', 'UTF-8'
    ])[1 + floor(random() * 24)::int]
$$;

-- n words in sentences of 6-14 words; decorated: some **bold** and `code`.
CREATE FUNCTION pg_temp.bench_words(n int, decorated boolean) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    out text := '';
    w text;
    r float8;
    left_in_sentence int := 0;
    i int;
BEGIN
    FOR i IN 1 .. n LOOP
        IF left_in_sentence = 0 THEN
            left_in_sentence := 6 + floor(random() * 9)::int;
        END IF;
        r := random();
        IF decorated AND r < 0.05 THEN
            w := '**' || pg_temp.bench_word() || '**';
        ELSIF decorated AND r < 0.09 THEN
            w := '`' || pg_temp.bench_code() || '`';
        ELSE
            w := pg_temp.bench_word();
        END IF;
        IF out = '' OR right(out, 1) = '.' THEN
            w := upper(left(w, 1)) || substr(w, 2);
        END IF;
        left_in_sentence := left_in_sentence - 1;
        IF left_in_sentence = 0 OR i = n THEN
            w := w || '.';
            left_in_sentence := 0;
        END IF;
        out := CASE WHEN out = '' THEN w ELSE out || ' ' || w END;
    END LOOP;
    RETURN out;
END;
$$;

-- A Markdown body of 60-220 words (counting heading and bullet words).
CREATE FUNCTION pg_temp.bench_body() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    total int := 60 + floor(random() * 161)::int;
    heading_words int := 2 + floor(random() * 3)::int;
    bullet_count int := 2 + floor(random() * 3)::int;
    bullet_words int;
    bullets text := '';
    used int;
    rest int;
    first_half int;
    heading text;
    b int;
BEGIN
    heading := initcap(pg_temp.bench_word());
    FOR b IN 2 .. heading_words LOOP
        heading := heading || ' ' || pg_temp.bench_word();
    END LOOP;
    used := heading_words;
    FOR b IN 1 .. bullet_count LOOP
        bullet_words := 3 + floor(random() * 4)::int;
        used := used + bullet_words;
        bullets := bullets || '- ' || rtrim(pg_temp.bench_words(bullet_words, random() < 0.3), '.') || E'\n';
    END LOOP;
    rest := total - used;
    first_half := rest / 2 + floor(random() * (rest / 4 + 1))::int - rest / 8;
    RETURN '## ' || heading || E'\n\n'
        || pg_temp.bench_words(first_half, true) || E'\n\n'
        || bullets || E'\n'
        || pg_temp.bench_words(rest - first_half, true) || E'\n';
END;
$$;

-- A title such as "Cache of 1234": at most 10 + 1 + 10 + 1 + 4 = 26 characters.
CREATE FUNCTION pg_temp.bench_title(i int) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT initcap(pg_temp.bench_word()) || ' ' || pg_temp.bench_word() || ' ' || i
$$;

-- The Pro ladder's rung for a card due `days` ahead (1, 3, 7, 14, 30, 60, 120, 180).
CREATE FUNCTION pg_temp.bench_rung(days float8) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN days <= 1 THEN 0 WHEN days <= 3 THEN 1 WHEN days <= 7 THEN 2 WHEN days <= 14 THEN 3
                WHEN days <= 30 THEN 4 WHEN days <= 60 THEN 5 WHEN days <= 120 THEN 6 ELSE 7 END
$$;

CREATE FUNCTION pg_temp.bench_result() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN r < 0.60 THEN 'remembered' WHEN r < 0.85 THEN 'partial' ELSE 'forgot' END
    FROM (SELECT random() AS r) x
$$;

-- The PRO user ------------------------------------------------------------------------------

CREATE TEMP TABLE bench_pro ON COMMIT DROP AS
    SELECT id, password_hash FROM users WHERE lower(email) = lower(:'pro_email');

UPDATE subscriptions SET tier = 'pro', max_interval_days = 180 WHERE user_id = (SELECT id FROM bench_pro);
UPDATE users SET date_joined = now() - interval '400 days' WHERE id = (SELECT id FROM bench_pro);

INSERT INTO categories (user_id, name, slug, description, created_at, updated_at)
SELECT p.id, c.name, c.slug, c.description, now() - interval '380 days', now() - interval '380 days'
FROM bench_pro p,
     (VALUES (1, 'Algorithms', 'algorithms', 'Sorting, searching, graphs and their costs.'),
             (2, 'Databases', 'databases', 'SQL, indexes, transactions and query plans.'),
             (3, 'Networking', 'networking', 'TCP/IP, HTTP and what happens in between.'),
             (4, 'Rust', 'rust', 'Ownership, traits and async.'),
             (5, 'Calculus', 'calculus', 'Limits, derivatives and integrals.')) AS c(n, name, slug, description)
ORDER BY c.n;

-- Contents: n = 1..pro_contents; card n is due when (n * 7) % 20 < 3 until pro_due are taken
-- (3 of every 20, spread evenly), then the earliest of the rest make up any shortfall.
CREATE TEMP TABLE bench_pro_contents ON COMMIT DROP AS
SELECT n,
       (SELECT array_agg(id ORDER BY id) FROM categories WHERE user_id = (SELECT id FROM bench_pro)) AS cats,
       now() - interval '130 days' - random() * interval '240 days' AS created_at,
       pg_temp.bench_title(n) AS title,
       pg_temp.bench_body() AS body
FROM generate_series(1, :pro_contents) n
ORDER BY n;

ALTER TABLE bench_pro_contents ADD COLUMN content_id bigint, ADD COLUMN due boolean;

WITH ranked AS (
    SELECT n, row_number() OVER (ORDER BY ((n * 7) % 20 < 3) DESC, n) AS k FROM bench_pro_contents
)
UPDATE bench_pro_contents b SET due = r.k <= :pro_due FROM ranked r WHERE r.n = b.n;

WITH inserted AS (
    INSERT INTO contents (author_id, category_id, title, body, review_mode, created_at, updated_at)
    SELECT (SELECT id FROM bench_pro), cats[1 + (n - 1) % 5], title, body, 'objective', created_at, created_at
    FROM bench_pro_contents
    ORDER BY n
    RETURNING id, title
)
UPDATE bench_pro_contents b SET content_id = i.id FROM inserted i WHERE i.title = b.title;

INSERT INTO review_schedules (user_id, content_id, next_review_date, interval_index, initial_review_completed,
                              created_at, updated_at)
SELECT (SELECT id FROM bench_pro), content_id, due_at,
       CASE WHEN due THEN floor(random() * 6)::int ELSE pg_temp.bench_rung(days_ahead) END,
       TRUE, created_at, now() - random() * interval '120 days'
FROM (
    SELECT n, content_id, due, created_at, days_ahead,
           now() + days_ahead * interval '1 day' AS due_at
    FROM (
        SELECT n, content_id, due, created_at,
               CASE WHEN due THEN -(1 + random() * 5) ELSE 7 + random() * 173 END AS days_ahead
        FROM bench_pro_contents
        ORDER BY n
    ) d
    ORDER BY n
) s
ORDER BY n;

INSERT INTO review_history (user_id, content_id, review_date, result, time_spent, created_at, updated_at)
SELECT (SELECT id FROM bench_pro), ids[1 + floor(random() * cardinality(ids))::int], at, pg_temp.bench_result(),
       5 + floor(random() * 116)::int, at, at
FROM (SELECT array_agg(content_id ORDER BY n) AS ids FROM bench_pro_contents) c,
     LATERAL (SELECT g, now() - random() * interval '120 days' AS at FROM generate_series(1, :pro_history) g) h
ORDER BY g;

-- Further users -----------------------------------------------------------------------------

CREATE TEMP TABLE bench_users ON COMMIT DROP AS
SELECT i,
       (ARRAY['free', 'basic', 'pro'])[1 + (i - 1) % 3] AS tier,
       (ARRAY[3, 90, 180])[1 + (i - 1) % 3] AS max_days,
       NULL::bigint AS id
FROM generate_series(1, :users) i;

INSERT INTO users (email, password_hash, is_email_verified, date_joined)
SELECT format('bench-user-%s@example.com', i), (SELECT password_hash FROM bench_pro), TRUE,
       now() - interval '300 days' - i * interval '1 hour'
FROM bench_users
ORDER BY i;

UPDATE bench_users b SET id = u.id FROM users u WHERE u.email = format('bench-user-%s@example.com', b.i);

INSERT INTO subscriptions (user_id, tier, max_interval_days, start_date)
SELECT id, tier, max_days, now() - interval '300 days' FROM bench_users ORDER BY i;

INSERT INTO notification_preferences (user_id, unsubscribe_token)
SELECT id, 'bench-' || i || '-' || md5(random()::text) FROM bench_users ORDER BY i;

INSERT INTO categories (user_id, name, slug, description)
SELECT b.id, c.name, c.slug, c.description
FROM bench_users b,
     (VALUES (1, 'Vocabulary', 'vocabulary', 'Words and phrases.'),
             (2, 'Science', 'science', 'Notes from the science course.')) AS c(n, name, slug, description)
ORDER BY b.i, c.n;

-- j = 1..user_contents per user; card j is due when (j * 7) % 20 < 3 (~15 %).
CREATE TEMP TABLE bench_user_contents ON COMMIT DROP AS
SELECT b.i, b.id AS user_id, b.max_days, j, ((j * 7) % 20 < 3) AS due,
       (SELECT array_agg(id ORDER BY id) FROM categories WHERE user_id = b.id) AS cats,
       now() - interval '130 days' - random() * interval '160 days' AS created_at,
       pg_temp.bench_title(j) AS title,
       pg_temp.bench_body() AS body,
       NULL::bigint AS content_id
FROM bench_users b, generate_series(1, :user_contents) j
ORDER BY b.i, j;

WITH inserted AS (
    INSERT INTO contents (author_id, category_id, title, body, review_mode, created_at, updated_at)
    SELECT user_id, cats[1 + (j - 1) % 2], title, body, 'objective', created_at, created_at
    FROM bench_user_contents
    ORDER BY i, j
    RETURNING id, author_id, title
)
UPDATE bench_user_contents b SET content_id = x.id
FROM inserted x WHERE x.author_id = b.user_id AND x.title = b.title;

-- Due ahead: 1 day up to the tier's maximum interval; the rung as for a PRO card, capped by the
-- tier's ladder (free: 2 rungs, basic: 7).
INSERT INTO review_schedules (user_id, content_id, next_review_date, interval_index, initial_review_completed,
                              created_at, updated_at)
SELECT user_id, content_id, now() + days_ahead * interval '1 day',
       CASE WHEN due THEN floor(random() * 2)::int
            ELSE least(pg_temp.bench_rung(days_ahead),
                       CASE max_days WHEN 3 THEN 1 WHEN 90 THEN 6 ELSE 7 END) END,
       TRUE, created_at, now() - random() * interval '60 days'
FROM (
    SELECT i, j, user_id, content_id, due, created_at, max_days,
           CASE WHEN due THEN -(1 + random()) ELSE 1 + random() * (max_days - 1) END AS days_ahead
    FROM bench_user_contents
    ORDER BY i, j
) s
ORDER BY i, j;

-- About 8 reviews per user (each content with probability 0.16).
INSERT INTO review_history (user_id, content_id, review_date, result, time_spent, created_at, updated_at)
SELECT user_id, content_id, at, pg_temp.bench_result(), 5 + floor(random() * 116)::int, at, at
FROM (
    SELECT i, j, user_id, content_id, now() - random() * interval '120 days' AS at, random() AS pick
    FROM bench_user_contents
    ORDER BY i, j
) h
WHERE pick < 0.16
ORDER BY i, j;

COMMIT;

VACUUM ANALYZE users, subscriptions, notification_preferences, categories, contents, review_schedules,
    review_history;

SELECT format('seeded: %s users, %s categories, %s contents, %s schedules (%s of the PRO user due), %s reviews',
              (SELECT count(*) FROM users), (SELECT count(*) FROM categories), (SELECT count(*) FROM contents),
              (SELECT count(*) FROM review_schedules),
              (SELECT count(*) FROM review_schedules s JOIN users u ON u.id = s.user_id
                WHERE lower(u.email) = lower(:'pro_email') AND s.next_review_date < now()),
              (SELECT count(*) FROM review_history)) AS summary \gset
\echo :summary
