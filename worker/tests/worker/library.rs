//! The worker as a library: built and run in this process, stopped by its shutdown future.

use std::time::Duration;

use resee_core::jobs::{self, JobKind, ValidateContent};
use resee_worker::Worker;
use sqlx::PgPool;

use crate::support::{World, eventually};

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_worker_built_in_process_answers_typed_replies_and_stops_on_its_future(db: PgPool) {
    let world = World::new(db).await;
    let worker = Worker::build(world.worker_config(&[])).await.expect("the worker builds");
    let health = format!("http://{}/healthz", worker.metrics_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async move {
        let _ = stopped.await;
    }));

    // A request a caller waits for: the reply comes back as the job's `Reply` type.
    let job = ValidateContent {
        request_id: uuid::Uuid::new_v4().to_string(),
        user_id: 1,
        content_id: None,
        title: "Ohm's law".into(),
        body: "Ohm's law relates current and voltage. The resistance is their ratio.".into(),
        reply_by_ms: None,
    };
    let reply = jobs::request_reply(&world.redis, &job, &job.request_id, Duration::from_secs(20))
        .await
        .expect("the request is sent")
        .expect("the worker replies in time");
    assert_eq!(reply.provider, "offline");
    assert_eq!(reply.is_valid, reply.validation.is_valid());
    assert_eq!(reply.score, reply.validation.score());
    let body = reqwest::get(&health).await.expect("/healthz answers").text().await.expect("a body");
    assert!(body.starts_with("ok"), "{body}");

    jobs::enqueue(&world.redis, &jobs::Noop {}).await.expect("enqueue");
    world.settled(JobKind::Noop).await;
    stop.send(()).expect("the worker is running");
    let stopped = tokio::time::timeout(Duration::from_secs(15), running).await.expect("the worker stops in time");
    stopped.expect("the run task did not panic").expect("the run ends without an error");
    eventually(Duration::from_secs(10), "the metrics listener to close with the worker", || {
        let request = reqwest::get(health.clone());
        async move { request.await.is_err().then_some(()) }
    })
    .await;
}
