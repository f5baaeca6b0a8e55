//! The scheduler across replicas and restarts.

use std::time::Duration;

use chrono::{TimeDelta, Timelike as _, Utc};
use resee_core::jobs::JobKind;
use resee_core::queue::Queue;
use sqlx::PgPool;

use crate::support::{World, eventually};

async fn tick_keys(world: &World, schedule: &str) -> Vec<String> {
    let mut conn = world.redis.conn.clone();
    redis::cmd("KEYS").arg(world.redis.key(format!("cron:{schedule}:*"))).query_async(&mut conn).await.expect("keys")
}

async fn drained(world: &World, kind: JobKind) {
    let q = Queue::new(world.redis.clone(), "test");
    eventually(Duration::from_secs(30), "the stream to drain", || {
        let q = q.clone();
        async move { q.stats(kind).await.ok().filter(|s| s.queued + s.delayed == 0).map(|_| ()) }
    })
    .await;
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn two_replicas_run_each_tick_once(db: PgPool) {
    let world = World::new(db).await;
    let every_two_seconds = [("HOUSEKEEPING_SCHEDULE", "*/2 * * * * *".to_owned())];
    let a = world.worker("a", &every_two_seconds);
    let b = world.worker("b", &every_two_seconds);
    tokio::time::sleep(Duration::from_secs(7)).await;
    // Stop both schedulers before counting, so no tick is half-way.
    a.terminate();
    b.terminate();
    let (mut a, mut b) = (a, b);
    a.exits_cleanly(Duration::from_secs(15)).await;
    b.exits_cleanly(Duration::from_secs(15)).await;
    let ticks = tick_keys(&world, "housekeeping").await.len();
    assert!(ticks >= 2, "ticks seen: {ticks}");
    let fired = |log: String| log.lines().filter(|l| l.contains("scheduled job enqueued")).count();
    let (fired_a, fired_b) = (fired(a.log()), fired(b.log()));
    assert_eq!(fired_a + fired_b, ticks, "each tick fired by exactly one replica (a {fired_a}, b {fired_b})");
    // A job fired just before the stop may still wait: a worker without schedules drains it.
    let drain = world.worker("drain", &[]);
    drained(&world, JobKind::Housekeeping).await;
    let runs = |log: String| log.lines().filter(|l| l.contains("housekeeping done")).count();
    let executed = runs(a.log()) + runs(b.log()) + runs(drain.log());
    assert_eq!(executed, ticks, "each tick executed exactly once");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_tick_missed_while_down_runs_once_on_start_up(db: PgPool) {
    let world = World::new(db).await;
    // A daily schedule whose time passed two minutes ago (Seoul time): within its 12-hour window.
    let past = (Utc::now() - TimeDelta::minutes(2)).with_timezone(&chrono_tz::Asia::Seoul);
    let cron = format!("{} {} * * *", past.minute(), past.hour());
    let schedule = [("HOUSEKEEPING_SCHEDULE", cron)];
    let mut first = world.worker("first", &schedule);
    eventually(Duration::from_secs(20), "the missed tick to fire", || {
        let log = first.log();
        async move { log.contains("housekeeping done").then_some(()) }
    })
    .await;
    first.kill9();
    // A restart inside the same window does not run it again.
    let mut second = world.worker("second", &schedule);
    tokio::time::sleep(Duration::from_secs(3)).await;
    drained(&world, JobKind::Housekeeping).await;
    second.terminate();
    second.exits_cleanly(Duration::from_secs(15)).await;
    assert!(
        second.log().contains("schedule on") && !second.log().contains("scheduled job enqueued"),
        "{}",
        second.log()
    );
    assert_eq!(tick_keys(&world, "housekeeping").await.len(), 1);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn two_replicas_back_up_once_per_tick(db: PgPool) {
    let world = World::new(db).await;
    let s3 = crate::backups::S3::start(&world).await;
    let mut env = s3.env();
    env.push(("BACKUP_SCHEDULE", "*/3 * * * * *".to_owned()));
    let (mut a, mut b) = (world.worker("a", &env), world.worker("b", &env));
    tokio::time::sleep(Duration::from_secs(7)).await;
    a.terminate();
    b.terminate();
    a.exits_cleanly(Duration::from_secs(30)).await;
    b.exits_cleanly(Duration::from_secs(30)).await;
    let drain = world.worker("drain", &s3.env());
    drained(&world, JobKind::BackupDatabase).await;
    drop(drain);
    let ticks = tick_keys(&world, "backup").await.len();
    let runs: Vec<String> =
        sqlx::query_scalar("SELECT outcome FROM backup_runs").fetch_all(&world.db).await.expect("backup runs");
    assert!(ticks >= 2, "ticks: {ticks}");
    assert_eq!(runs.len(), ticks, "one backup per tick: {runs:?}");
    assert!(runs.iter().all(|o| o == "succeeded"), "{runs:?}");
    // Keys have one-second resolution (docs/DECISIONS.md → Schedules): two runs of the same second, which only
    // this 3-second test schedule produces, write the same object.
    let keys: i64 = sqlx::query_scalar("SELECT count(DISTINCT key) FROM backup_runs")
        .fetch_one(&world.db)
        .await
        .expect("backup keys");
    let dumps = s3.keys().await.into_iter().filter(|k| k.ends_with(".dump.zst")).count();
    assert_eq!(i64::try_from(dumps).ok(), Some(keys), "one object per backup key");
}
