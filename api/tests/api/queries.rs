//! Queries scale: lists run a fixed number of SQL statements whatever the page holds, and the
//! today query uses an index on a user with 50 000 schedules (spread over 400 days, 1 in 1000
//! never reviewed).

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};

use serde_json::json;
use sqlx::PgPool;
use tracing_subscriber::layer::SubscriberExt as _;

use crate::support::TestApp;

/// Counts the statements sqlx logs (target `sqlx::query`), except the health probe's
/// `SELECT 1`, which runs every 500 ms on the same runtime. Installed once as the process-wide
/// subscriber (scoped subscribers race on tracing's global interest cache when tests run in
/// parallel); each test thread counts into its own counter.
struct CountQueries;

thread_local! {
    static COUNTER: RefCell<Option<Arc<AtomicUsize>>> = const { RefCell::new(None) };
}

fn is_query(metadata: &tracing::Metadata<'_>) -> bool {
    metadata.target() == "sqlx::query"
}

#[derive(Default)]
struct IsProbe(bool);

impl tracing::field::Visit for IsProbe {
    fn record_str(&mut self, _: &tracing::field::Field, value: &str) {
        self.0 |= value.trim() == "SELECT 1";
    }

    fn record_debug(&mut self, _: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0 |= format!("{value:?}").trim_matches('"').trim() == "SELECT 1";
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountQueries {
    fn register_callsite(&self, metadata: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        if is_query(metadata) {
            tracing::subscriber::Interest::always()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: tracing_subscriber::layer::Context<'_, S>) -> bool {
        is_query(metadata)
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if !is_query(event.metadata()) {
            return;
        }
        let mut probe = IsProbe::default();
        event.record(&mut probe);
        if !probe.0 {
            COUNTER.with(|counter| {
                if let Some(counter) = counter.borrow().as_ref() {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    }
}

/// Statements run while serving one GET. The test runtime has one thread, which the server's
/// tasks share, so this thread's counter sees exactly this request's queries.
async fn statements(app: &TestApp, path: &str, token: &str) -> usize {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(CountQueries));
    });
    let counter = Arc::new(AtomicUsize::new(0));
    COUNTER.with(|c| *c.borrow_mut() = Some(counter.clone()));
    let response = app.get_auth(path, token).await;
    COUNTER.with(|c| *c.borrow_mut() = None);
    assert!(response.status().is_success(), "{path}: {}", response.status());
    counter.load(Ordering::SeqCst)
}

const LISTS: [&str; 6] = [
    "/api/contents/?page_size=100",
    "/api/categories/",
    "/api/review/schedules/today/",
    "/api/review/schedules/?page_size=100",
    "/api/review/history/?page_size=100",
    "/api/review/category-stats/",
];

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn lists_run_the_same_number_of_queries_for_2_or_40_items(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let token = app.signed_in("scale@example.com").await;
    let category = app.create_category(&token, "Scale").await;
    let add = |n: usize| {
        let (app, token, category) = (&app, token.clone(), category["id"].clone());
        async move {
            for i in 0..n {
                let content = app
                    .create_content(&token, json!({"title": format!("N{i}"), "content": "x", "category": category}))
                    .await;
                let schedule = app.schedule_of(content["id"].as_i64().expect("id")).await;
                app.complete(&token, schedule, json!({"result": "forgot"})).await;
            }
        }
    };
    add(2).await;
    let mut small = Vec::new();
    for path in LISTS {
        small.push(statements(&app, path, &token).await);
    }
    add(38).await;
    for (path, before) in LISTS.iter().zip(&small) {
        let after = statements(&app, path, &token).await;
        assert!(*before > 0, "{path}: the counter sees queries");
        assert_eq!(after, *before, "{path}: {before} statements for 2 items, {after} for 40");
        assert!(after <= 5, "{path}: {after} statements");
    }
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn the_today_query_uses_an_index_with_50_000_schedules(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.signed_in("heavy@example.com").await;
    app.signed_in("light@example.com").await;
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'heavy@example.com'")
        .fetch_one(&app.db)
        .await
        .expect("id");
    sqlx::query(
        "INSERT INTO contents (author_id, title, body) SELECT $1, 'n' || g, 'body' FROM generate_series(1, 50000) g",
    )
    .bind(user)
    .execute(&app.db)
    .await
    .expect("contents");
    sqlx::query(
        "INSERT INTO review_schedules (user_id, content_id, next_review_date, interval_index, initial_review_completed)
         SELECT author_id, id, now() + ((id % 400) - 3) * interval '1 day', 2, id % 1000 <> 0 FROM contents",
    )
    .execute(&app.db)
    .await
    .expect("schedules");
    sqlx::query("ANALYZE").execute(&app.db).await.expect("analyze");

    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN SELECT s.id FROM review_schedules s
           JOIN contents c ON c.id = s.content_id JOIN users u ON u.id = s.user_id
           LEFT JOIN categories cat ON cat.id = c.category_id
         WHERE s.user_id = $1 AND s.is_active
           AND (NOT s.initial_review_completed OR (s.next_review_date >= now() - interval '90 days' AND s.next_review_date < now() + interval '1 day'))
           AND ($2::text IS NULL OR cat.slug = $2)
         ORDER BY s.next_review_date, s.id",
    )
    .bind(user)
    .bind(None::<String>)
    .fetch_all(&app.db)
    .await
    .expect("explain");
    let plan = plan.join("\n");
    assert!(plan.contains("review_schedules_due_idx"), "the due index is used:\n{plan}");
    assert!(plan.contains("review_schedules_unreviewed_idx"), "never-reviewed cards come from their index:\n{plan}");
    assert!(!plan.contains("Seq Scan on review_schedules"), "{plan}");
}
