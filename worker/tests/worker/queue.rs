//! The queue's promises with real processes: crash redelivery, retries and dead letters,
//! graceful shutdown, and a consumer for every job type.

use std::time::{Duration, Instant};

use resee_core::i18n::Language;
use resee_core::jobs::{self, Email, JobKind, SendEmail};
use resee_core::queue::Queue;
use sqlx::PgPool;

use crate::support::{SlackStandIn, Smtp, World, eventually};

const WAIT: Duration = Duration::from_secs(30);

fn email_job(message_id: &str, to: &str) -> SendEmail {
    SendEmail {
        message_id: message_id.into(),
        to: to.into(),
        user_id: None,
        language: Language::En,
        email: Email::Welcome,
    }
}

fn queue(world: &World) -> Queue {
    Queue::new(world.redis.clone(), "test")
}

async fn running(queue: &Queue, kind: JobKind) -> u64 {
    queue.stats(kind).await.map(|s| s.running).unwrap_or(0)
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_job_whose_worker_is_killed_mid_run_is_completed_by_another(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    // An "SMTP server" that accepts connections and never answers: the job hangs in the send.
    let black_hole = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let hole = format!("smtp://{}?tls=none", black_hole.local_addr().expect("addr"));
    let mut first = world.worker("first", &[("SMTP_URL", hole)]);
    jobs::enqueue(&world.redis, &email_job("crash-1", "crash@example.com")).await.expect("enqueue");
    let q = queue(&world);
    eventually(WAIT, "the first worker to start the job", || {
        let q = q.clone();
        async move { (running(&q, JobKind::SendEmail).await == 1).then_some(()) }
    })
    .await;
    let (_held, _) = black_hole.accept().expect("the worker connected to the black hole");

    first.kill9();
    let killed_at = Instant::now();
    let second = world.worker("second", &[("SMTP_URL", smtp.url())]);
    smtp.wait_for("crash@example.com", 1, WAIT).await;
    // Bound: the visibility timeout (2 s) plus one claim period (1 s) plus start-up.
    let took = killed_at.elapsed();
    assert!(took < Duration::from_secs(10), "redelivered after {took:?}");
    assert_eq!(second.metric("resee_jobs_redelivered_total", &["kind=\"send_email\""]).await, 1.0);
    world.settled(JobKind::SendEmail).await;
    assert_eq!(smtp.to("crash@example.com").len(), 1, "delivered once");
    assert_eq!(q.stats(JobKind::SendEmail).await.expect("stats").queued, 0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn failures_retry_with_backoff_then_dead_letter_alert_and_requeue(db: PgPool) {
    let world = World::new(db).await;
    let slack = SlackStandIn::start().await;
    let mut smtp = Smtp::down(&world);
    let worker = world.worker(
        "worker",
        &[
            ("SMTP_URL", smtp.url()),
            ("SLACK_WEBHOOK_URL", slack.url.clone()),
            ("JOB_RETRY_POLICY", "send_email=3/300ms".to_owned()),
        ],
    );
    let enqueued = Instant::now();
    let job_id = jobs::enqueue(&world.redis, &email_job("down-1", "later@example.com")).await.expect("enqueue");
    let q = queue(&world);
    let dead = eventually(WAIT, "the dead letter", || {
        let q = q.clone();
        async move { q.dead_letters(10).await.ok().filter(|d| !d.is_empty()) }
    })
    .await;
    // Three attempts with 300 ms and 600 ms between them.
    assert!(enqueued.elapsed() >= Duration::from_millis(900), "backoff respected: {:?}", enqueued.elapsed());
    assert_eq!((dead.len(), dead[0].job_id.as_str(), dead[0].attempts), (1, job_id.as_str(), 3));
    assert_eq!(worker.metric("resee_jobs_total", &["kind=\"send_email\"", "outcome=\"retried\""]).await, 2.0);
    assert_eq!(worker.metric("resee_jobs_total", &["kind=\"send_email\"", "outcome=\"dead_lettered\""]).await, 1.0);

    let (ok, listing) = world.worker_cli(&["jobs", "dead"]);
    assert!(
        ok && listing.contains(&dead[0].id) && listing.contains("send_email") && listing.contains("failed 3 times"),
        "{listing}"
    );
    let (ok, stats) = world.worker_cli(&["jobs", "stats"]);
    assert!(ok && stats.contains("dead letters: 1"), "{stats}");

    let alerts = eventually(WAIT, "the Slack alert", || {
        let messages = slack.messages();
        async move { (!messages.is_empty()).then_some(messages) }
    })
    .await;
    assert_eq!(alerts[0]["attachments"][0]["color"], "#d32f2f");
    let text = alerts[0]["attachments"][0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("send_email") && text.contains(&format!("jobs requeue {}", dead[0].id)), "{text}");

    // The server comes back; the operator requeues; the email goes out once.
    smtp.up().await;
    let (ok, out) = world.worker_cli(&["jobs", "requeue", &dead[0].id]);
    assert!(ok && out.contains("requeued"), "{out}");
    smtp.wait_for("later@example.com", 1, WAIT).await;
    assert_eq!(q.dead_count().await.expect("dead"), 0);
    let (ok, out) = world.worker_cli(&["jobs", "requeue", "1-0"]);
    assert!(!ok && out.contains("no dead letter"), "{out}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn an_email_waits_out_an_smtp_outage_and_is_sent_once(db: PgPool) {
    let world = World::new(db).await;
    let mut smtp = Smtp::down(&world);
    let worker = world
        .worker("worker", &[("SMTP_URL", smtp.url()), ("JOB_RETRY_POLICY", "send_email=30/200ms/200ms".to_owned())]);
    jobs::enqueue(&world.redis, &email_job("outage-1", "patient@example.com")).await.expect("enqueue");
    eventually(WAIT, "two failed attempts", || {
        let metric = worker.metric("resee_jobs_total", &["kind=\"send_email\"", "outcome=\"retried\""]);
        async move { (metric.await >= 2.0).then_some(()) }
    })
    .await;
    smtp.up().await;
    smtp.wait_for("patient@example.com", 1, WAIT).await;
    world.settled(JobKind::SendEmail).await;
    assert_eq!(smtp.to("patient@example.com").len(), 1);
    assert_eq!(queue(&world).dead_count().await.expect("dead"), 0);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn sigterm_finishes_the_running_job_and_takes_no_new_one(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    let mut worker = world.worker("worker", &[("SMTP_URL", smtp.url())]);
    // The test server holds mail to `slow…` for 3 seconds.
    jobs::enqueue(&world.redis, &email_job("slow-1", "slow@example.com")).await.expect("enqueue");
    let q = queue(&world);
    eventually(WAIT, "the job to start", || {
        let q = q.clone();
        async move { (running(&q, JobKind::SendEmail).await == 1).then_some(()) }
    })
    .await;
    worker.terminate();
    eventually(WAIT, "the worker to take the signal", || {
        let log = worker.log();
        async move { log.contains("shutting down").then_some(()) }
    })
    .await;
    jobs::enqueue(&world.redis, &jobs::Noop {}).await.expect("enqueue");
    let status = worker.wait_exit(Duration::from_secs(15)).await.expect("the worker exits within the grace period");
    assert!(status.success(), "{status:?}\n{}", worker.log());
    assert_eq!(smtp.to("slow@example.com").len(), 1, "the running job finished");
    assert_eq!(q.stats(JobKind::SendEmail).await.expect("stats").queued, 0);
    assert_eq!(q.stats(JobKind::Noop).await.expect("stats").queued, 1, "no job was taken after SIGTERM");
    let mut conn = world.redis.conn.clone();
    let beats: i64 =
        redis::cmd("HLEN").arg(jobs::heartbeat_key(&world.redis)).query_async(&mut conn).await.expect("hlen");
    assert_eq!(beats, 0, "the heartbeat is withdrawn on exit");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn every_job_type_has_a_consumer(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    let db = &world.db;
    let user: i64 = sqlx::query_scalar("INSERT INTO users (email, password_hash, is_email_verified) VALUES ('all@example.com', 'x', TRUE) RETURNING id")
        .fetch_one(db)
        .await
        .expect("user");
    sqlx::query(
        "INSERT INTO subscriptions (user_id, tier, max_interval_days, is_active) VALUES ($1, 'pro', 180, TRUE)",
    )
    .bind(user)
    .execute(db)
    .await
    .expect("subscription");
    let mut contents = Vec::new();
    for (title, mode) in [
        ("Ohm's law", "multiple_choice"),
        ("Kirchhoff", "objective"),
        ("Coulomb", "objective"),
        ("Faraday", "objective"),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contents (author_id, title, body, review_mode) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user)
        .bind(title)
        .bind(format!("{title} explains how charges and currents behave. It is measured in experiments."))
        .bind(mode)
        .fetch_one(db)
        .await
        .expect("content");
        contents.push(id);
    }
    let exam: i64 = sqlx::query_scalar(
        "INSERT INTO exams (user_id, title, content_ids, week_start, end_date) VALUES ($1, 'Week', $2, current_date, now() + interval '7 days') RETURNING id",
    )
    .bind(user)
    .bind(&contents)
    .fetch_one(db)
    .await
    .expect("exam");

    let r = &world.redis;
    let tick = || "2026-11-30T09:00:00+09:00".to_owned();
    jobs::enqueue(r, &email_job("all-1", "all@example.com")).await.expect("enqueue");
    jobs::enqueue(r, &jobs::GenerateMcChoices { content_id: contents[0] }).await.expect("enqueue");
    let validate = jobs::ValidateContent {
        request_id: "v-1".into(),
        user_id: user,
        content_id: None,
        title: "Ohm's law".into(),
        body: "Ohm's law relates current and voltage. The resistance is their ratio.".into(),
        reply_by_ms: None,
    };
    jobs::enqueue(r, &validate).await.expect("enqueue");
    let grade = jobs::GradeAnswer {
        request_id: "g-1".into(),
        user_id: user,
        content_id: contents[1],
        answer: "Kirchhoff explains charges and currents".into(),
        reply_by_ms: None,
    };
    jobs::enqueue(r, &grade).await.expect("enqueue");
    jobs::enqueue(r, &jobs::GenerateExam { exam_id: exam }).await.expect("enqueue");
    let reclamp =
        jobs::ReclampSchedules { user_id: user, tier: resee_core::tiers::Tier::Pro, change_id: "all-1".into() };
    jobs::enqueue(r, &reclamp).await.expect("enqueue");
    jobs::enqueue(r, &jobs::BackupDatabase { tick: tick() }).await.expect("enqueue");
    jobs::enqueue(r, &jobs::SendReminders { tick: tick() }).await.expect("enqueue");
    jobs::enqueue(r, &jobs::Housekeeping { tick: tick() }).await.expect("enqueue");
    jobs::enqueue(r, &jobs::Noop {}).await.expect("enqueue");

    let s3 = crate::backups::S3::start(&world).await;
    let mut env = s3.env();
    env.push(("SMTP_URL", smtp.url()));
    let worker = world.worker("worker", &env);
    let q = queue(&world);
    eventually(WAIT, "every stream to drain", || {
        let q = q.clone();
        async move {
            for kind in JobKind::ALL {
                let s = q.stats(kind).await.ok()?;
                if s.queued + s.delayed > 0 {
                    return None;
                }
            }
            Some(())
        }
    })
    .await;
    let metrics = worker.metrics_text().await;
    for kind in JobKind::ALL {
        let labels = [&format!("kind=\"{}\"", kind.name()), "outcome=\"succeeded\""];
        let done = crate::support::sum_metric(&metrics, "resee_jobs_total", &labels);
        assert_eq!(done, 1.0, "{} succeeded once\n{metrics}", kind.name());
    }
    assert_eq!(q.dead_count().await.expect("dead letters"), 0);

    // The effects of each.
    assert_eq!(smtp.to("all@example.com").len(), 1);
    assert!(s3.keys().await.iter().any(|k| k.ends_with(".dump.zst.json")), "the backup and its manifest");
    let choices: serde_json::Value = sqlx::query_scalar("SELECT mc_choices FROM contents WHERE id = $1")
        .bind(contents[0])
        .fetch_one(db)
        .await
        .expect("mc");
    assert_eq!(choices["correct_answer"], "Ohm's law");
    assert_eq!(choices["choices"].as_array().map(Vec::len), Some(4));
    let (status, questions): (String, i32) = sqlx::query_as("SELECT status, total_questions FROM exams WHERE id = $1")
        .bind(exam)
        .fetch_one(db)
        .await
        .expect("exam");
    assert_eq!((status.as_str(), questions), ("pending", 4));
    let mut conn = world.redis.conn.clone();
    for request in ["v-1", "g-1"] {
        let reply: Option<String> = redis::cmd("RPOP")
            .arg(world.redis.key(format!("replies:{request}")))
            .query_async(&mut conn)
            .await
            .expect("reply");
        let reply: serde_json::Value = serde_json::from_str(&reply.expect("a reply")).expect("json");
        assert!(reply.get("score").is_some(), "{reply}");
    }
    let processed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM processed_jobs WHERE job_key = 'reclamp_schedules:all-1'")
            .fetch_one(db)
            .await
            .expect("count");
    assert_eq!(processed, 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn ping_healthcheck_and_metrics(db: PgPool) {
    let world = World::new(db).await;
    let mut worker = world.worker("worker", &[]);
    let addr = [("METRICS_ADDR", worker.metrics.expect("metrics address").to_string())];
    let (ok, out) = world.worker_cli(&["jobs", "ping", "--timeout", "20s"]);
    assert!(ok && out.contains("pong"), "{out}");
    eventually(WAIT, "a healthy worker", || {
        let (ok, _) = world.worker_cli_with(&["healthcheck"], &addr);
        async move { ok.then_some(()) }
    })
    .await;
    let metrics = worker.metrics_text().await;
    for name in [
        "resee_jobs_queued",
        "resee_jobs_running",
        "resee_jobs_delayed",
        "resee_jobs_dead",
        "resee_jobs_in_flight",
        "resee_job_duration_seconds_bucket",
        "resee_job_pickup_latency_seconds_bucket",
    ] {
        assert!(metrics.contains(name), "{name} missing:\n{metrics}");
    }
    assert_eq!(
        crate::support::sum_metric(&metrics, "resee_jobs_total", &["kind=\"noop\"", "outcome=\"succeeded\""]),
        1.0
    );
    worker.kill9();
    let (ok, out) = world.worker_cli_with(&["healthcheck"], &addr);
    assert!(!ok && out.contains("did not answer"), "{out}");
    // Without a worker, a ping times out and says so.
    let (ok, out) = world.worker_cli(&["jobs", "ping", "--timeout", "1s"]);
    assert!(!ok && out.contains("no worker ran job"), "{out}");
}

#[tokio::test]
async fn a_worker_that_lost_its_lease_neither_renews_nor_settles_the_job() {
    resee_core::install_crypto_provider();
    let prefix = format!("resee-wtest-{}", uuid::Uuid::new_v4().simple());
    let env = resee_core::config::Env::from_pairs([
        ("DATABASE_URL", "postgres://unused".to_owned()),
        ("REDIS_URL", crate::support::redis_url()),
        ("REDIS_KEY_PREFIX", prefix.clone()),
    ]);
    let config = resee_core::config::CommonConfig::from_env(&env).expect("config");
    let redis = resee_core::redis::Redis::connect(&config).await.expect("redis");
    let (a, b) = (Queue::new(redis.clone(), "a"), Queue::new(redis.clone(), "b"));
    a.ensure_groups().await.expect("groups");
    jobs::enqueue(&redis, &jobs::Noop {}).await.expect("enqueue");
    let mut conn = redis.dedicated(Duration::from_secs(5)).await.expect("conn");
    let taken = a.fetch(&mut conn, JobKind::Noop, 1, Duration::from_millis(100)).await.expect("fetch");
    assert_eq!(taken.len(), 1);
    tokio::time::sleep(Duration::from_millis(50)).await;
    // a stalled past the visibility timeout: b takes the job over.
    let (_, claimed) = b.claim_stale(JobKind::Noop, Duration::from_millis(20), 10, "0-0").await.expect("claim");
    assert_eq!((claimed.len(), claimed[0].attempt), (1, 2));
    assert_eq!(a.renew(JobKind::Noop, &[taken[0].entry_id.clone()]).await.expect("renew"), 0, "a cannot take it back");
    assert!(
        !a.retry_later(&taken[0], Duration::from_secs(1), 0).await.expect("retry"),
        "a's failure does not reschedule it"
    );
    assert_eq!(a.bury(&taken[0], "boom", 0).await.expect("bury"), None);
    assert_eq!(b.renew(JobKind::Noop, &[claimed[0].entry_id.clone()]).await.expect("renew"), 1);
    b.ack(&claimed[0]).await.expect("ack");
    let stats = b.stats(JobKind::Noop).await.expect("stats");
    assert_eq!((stats.queued, stats.running, stats.delayed), (0, 0, 0));
    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{prefix}:*")).query_async(&mut conn).await.expect("keys");
    if !keys.is_empty() {
        let _: () = redis::cmd("DEL").arg(keys).query_async(&mut conn).await.expect("del");
    }
}
