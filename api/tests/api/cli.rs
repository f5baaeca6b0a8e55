//! The `resee-api` binary's operational subcommands, run as real processes.

use std::io::Write as _;
use std::process::{Command, Stdio};

use sqlx::PgPool;

use crate::support::{PASSWORD, TestApp};

const BIN: &str = env!("CARGO_BIN_EXE_resee-api");

/// The URL of the test's own database, derived from the server URL the tests run with.
async fn url_of(db: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(db).await.expect("name");
    let server = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for the tests");
    let (base, query) = server.split_once('?').map_or((server.as_str(), None), |(b, q)| (b, Some(q)));
    let (prefix, _) = base.rsplit_once('/').expect("a URL with a database name");
    query.map_or_else(|| format!("{prefix}/{name}"), |q| format!("{prefix}/{name}?{q}"))
}

fn resee_api(args: &[&str], database_url: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("REDIS_URL", crate::support::redis_url())
        .env("JWT_SECRET", crate::support::JWT_SECRET)
        .env("RUST_LOG", "warn");
    command
}

#[sqlx::test(migrations = false)]
async fn migrate_builds_the_schema_and_is_idempotent(db: PgPool) {
    let url = url_of(&db).await;
    for _ in 0..2 {
        let status = resee_api(&["migrate"], &url).status().expect("run migrate");
        assert!(status.success());
    }
    assert!(resee_core::db::migrations_applied(&db).await.expect("query"));
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)",
    )
    .bind(vec![
        "users",
        "subscriptions",
        "notification_preferences",
        "categories",
        "contents",
        "review_schedules",
        "review_history",
        "exams",
        "exam_questions",
        "exam_answers",
        "password_reset_tokens",
        "sent_emails",
        "backup_runs",
    ])
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(tables, 13);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn create_admin_makes_a_verified_staff_account_that_can_sign_in(db: PgPool) {
    let url = url_of(&db).await;
    let mut child = resee_api(&["create-admin", "--email", "root@example.com"], &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("write");
    assert!(child.wait().expect("wait").success());

    let weak = resee_api(&["create-admin", "--email", "weak@example.com", "--password-file", "/dev/null"], &url)
        .stderr(Stdio::null())
        .status()
        .expect("run");
    assert!(!weak.success(), "an empty password is refused");

    let app = TestApp::spawn(db).await;
    let (token, _) = app.login("root@example.com", PASSWORD).await;
    assert_eq!(app.get_auth("/api/accounts/users/", &token).await.status(), reqwest::StatusCode::OK);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn healthcheck_exits_zero_only_when_the_api_answers(db: PgPool) {
    let url = url_of(&db).await;
    let app = TestApp::spawn(db).await;
    let addr = app.base.trim_start_matches("http://");
    let mut check = resee_api(&["healthcheck"], &url);
    check.env("BIND_ADDR", addr).stderr(Stdio::null());
    // The app runs on this test's runtime: wait for the child off the runtime's only thread.
    let up = tokio::task::spawn_blocking(move || check.status()).await.expect("join").expect("run");
    assert!(up.success());
    let down =
        resee_api(&["healthcheck"], &url).env("BIND_ADDR", "127.0.0.1:1").stderr(Stdio::null()).status().expect("run");
    assert!(!down.success());
}

#[test]
fn a_bad_variable_stops_start_up_with_its_name() {
    let output = resee_api(&["serve"], "postgres://x/y").env("ACCESS_TOKEN_TTL", "forever").output().expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ACCESS_TOKEN_TTL"), "{stderr}");
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn serve_stops_cleanly_on_sigterm(db: PgPool) {
    let url = url_of(&db).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let mut child = resee_api(&["serve"], &url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("REDIS_KEY_PREFIX", format!("resee-test-{}", uuid::Uuid::new_v4().simple()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let health = format!("http://127.0.0.1:{port}/api/health/");
    let mut up = false;
    for _ in 0..200 {
        if reqwest::get(&health).await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(up, "the server came up");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait()).await.expect("join").expect("wait");
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
