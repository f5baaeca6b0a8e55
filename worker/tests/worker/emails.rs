//! Every email the product promises, through real api and worker processes.

use std::time::Duration;

use chrono::{TimeDelta, Timelike as _, Utc};
use reqwest::StatusCode;
use resee_core::jobs::JobKind;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{Smtp, World, eventually};

const PASSWORD: &str = "Quiet-River-2941";
const WAIT: Duration = Duration::from_secs(30);

/// The value of `key=` in a URL inside `text`.
fn query_value(text: &str, key: &str) -> String {
    let at = text.find(&format!("{key}=")).unwrap_or_else(|| panic!("no {key}= in {text}")) + key.len() + 1;
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn registration_verification_welcome_and_reset_emails_arrive_once(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    let (_api, base) = world.api(&[]).await;
    let _worker = world.worker("worker", &[("SMTP_URL", smtp.url()), ("PUBLIC_URL", base.clone())]);
    let http = reqwest::Client::new();
    let email = "new.learner@example.com";

    let registered = http
        .post(format!("{base}/api/accounts/users/register/"))
        .json(&json!({"email": email, "password": PASSWORD, "password_confirm": PASSWORD}))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), StatusCode::CREATED);

    let mails = smtp.wait_for(email, 1, WAIT).await;
    let verification = &mails[0];
    assert_eq!(verification.subject, "[Resee] 이메일 주소를 확인해 주세요");
    assert_eq!(verification.to, email);
    assert!(verification.headers["From"].contains("no-reply@resee.test"), "{:?}", verification.headers);
    assert!(verification.headers["Content-Type"].starts_with("multipart/alternative"));
    assert!(verification.headers.contains_key("Message-ID"));
    let link = format!("{base}/verify-email?token=");
    assert!(verification.text().contains(&link) && verification.text().contains("24시간"), "{}", verification.text());
    assert!(verification.html().contains(&link) && verification.html().contains("<html lang=\"ko\">"));
    let token = query_value(verification.text(), "token");

    let verified = http
        .post(format!("{base}/api/accounts/verify-email/"))
        .json(&json!({"email": email, "token": token}))
        .send()
        .await
        .expect("verify");
    assert_eq!(verified.status(), StatusCode::OK);
    let mails = smtp.wait_for(email, 2, WAIT).await;
    let welcome = mails.iter().find(|m| m.subject.contains("환영합니다")).expect("a welcome email");
    assert!(welcome.text().contains(&format!("{base}/review")), "{}", welcome.text());
    assert!(welcome.html().contains(&format!("href=\"{base}/review\"")));

    let reset = http
        .post(format!("{base}/api/accounts/password-reset/"))
        .json(&json!({"email": email}))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), StatusCode::OK);
    let mails = smtp.wait_for(email, 3, WAIT).await;
    let reset = mails.iter().find(|m| m.subject.contains("비밀번호 재설정")).expect("a reset email");
    assert!(reset.text().contains(&format!("{base}/reset-password?token=")), "{}", reset.text());

    // Nothing arrives twice, and every send is recorded by its message id.
    world.settled(JobKind::SendEmail).await;
    assert_eq!(smtp.to(email).len(), 3);
    let recorded: Vec<String> = sqlx::query_scalar("SELECT template FROM sent_emails ORDER BY id")
        .fetch_all(&world.db)
        .await
        .expect("sent_emails");
    assert_eq!(recorded, ["verification", "welcome", "password_reset"]);

    // The worker's heartbeat shows in the api's detailed health.
    let health: Value =
        http.get(format!("{base}/api/health/detailed/")).send().await.expect("health").json().await.expect("json");
    assert_eq!(health["services"]["worker"]["status"], "ok", "{health}");
}

/// A verified user with preferences, and `due` never-reviewed cards.
async fn learner(
    db: &PgPool,
    email: &str,
    timezone: &str,
    reminder: chrono::NaiveTime,
    language: &str,
    due: usize,
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, is_email_verified) VALUES ($1, 'x', TRUE) RETURNING id",
    )
    .bind(email)
    .fetch_one(db)
    .await
    .expect("user");
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, timezone, daily_reminder_time, language, unsubscribe_token)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(timezone)
    .bind(reminder)
    .bind(language)
    .bind(format!("unsub-{id}-{}", uuid::Uuid::new_v4().simple()))
    .execute(db)
    .await
    .expect("preferences");
    for n in 0..due {
        let content: i64 =
            sqlx::query_scalar("INSERT INTO contents (author_id, title, body) VALUES ($1, $2, 'body') RETURNING id")
                .bind(id)
                .bind(format!("Card {n} of {id}"))
                .fetch_one(db)
                .await
                .expect("content");
        sqlx::query("INSERT INTO review_schedules (user_id, content_id) VALUES ($1, $2)")
            .bind(id)
            .bind(content)
            .execute(db)
            .await
            .expect("schedule");
    }
    id
}

/// The local wall-clock time in `tz` shifted by `minutes`, to the minute.
fn local_time(tz: chrono_tz::Tz, minutes: i64) -> chrono::NaiveTime {
    let t = (Utc::now() + TimeDelta::minutes(minutes)).with_timezone(&tz).time();
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).expect("valid time")
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn reminders_go_out_at_each_users_local_time_once_and_unsubscribe_works(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    let (_api, base) = world.api(&[]).await;
    let (seoul, new_york) = (chrono_tz::Asia::Seoul, chrono_tz::America::New_York);
    // Due: reminder time a minute ago, local to each user's zone (9 or 14 hours apart).
    let due_seoul = learner(&world.db, "seoul@example.com", "Asia/Seoul", local_time(seoul, -1), "ko", 7).await;
    let due_ny = learner(&world.db, "ny@example.com", "America/New_York", local_time(new_york, -1), "en", 1).await;
    // Not yet: their time comes in 20 minutes.
    learner(&world.db, "later-seoul@example.com", "Asia/Seoul", local_time(seoul, 20), "ko", 2).await;
    learner(&world.db, "later-ny@example.com", "America/New_York", local_time(new_york, 20), "en", 2).await;
    // Due, but nothing to review: no email.
    let idle = learner(&world.db, "idle@example.com", "Asia/Seoul", local_time(seoul, -1), "ko", 0).await;

    let worker = world.worker(
        "worker",
        &[("SMTP_URL", smtp.url()), ("PUBLIC_URL", base.clone()), ("REMINDER_SCHEDULE", "*/2 * * * * *".to_owned())],
    );
    let seoul_mail = smtp.wait_for("seoul@example.com", 1, WAIT).await.remove(0);
    let ny_mail = smtp.wait_for("ny@example.com", 1, WAIT).await.remove(0);

    assert_eq!(seoul_mail.subject, "[Resee] 오늘 복습할 카드가 7개 있습니다");
    assert!(seoul_mail.text().contains(&format!("- Card 0 of {due_seoul}")), "{}", seoul_mail.text());
    assert!(seoul_mail.text().contains("… 외 2개"), "five titles listed, two more counted: {}", seoul_mail.text());
    assert!(seoul_mail.html().contains(&format!("<li>Card 4 of {due_seoul}</li>")));
    assert!(seoul_mail.text().contains(&format!("{base}/review")));
    assert_eq!(ny_mail.subject, "[Resee] 1 card to review today");
    assert!(
        ny_mail.text().contains(&format!("- Card 0 of {due_ny}"))
            && ny_mail.text().contains("To stop the daily review reminder")
    );

    // Several more ticks: still one each, and nobody else.
    let ticks = || worker.log().lines().filter(|l| l.contains("reminders handled")).count();
    let seen = ticks();
    eventually(WAIT, "three more reminder ticks", || {
        let more = ticks() >= seen + 3;
        async move { more.then_some(()) }
    })
    .await;
    world.settled(JobKind::SendEmail).await;
    assert_eq!(smtp.to("seoul@example.com").len(), 1);
    assert_eq!(smtp.to("ny@example.com").len(), 1);
    assert_eq!(smtp.messages().len(), 2, "only the two due users got a reminder");
    let recorded: Vec<(i64, Option<chrono::NaiveDate>)> =
        sqlx::query_as("SELECT user_id, last_reminder_local_date FROM notification_preferences WHERE user_id = ANY($1) ORDER BY user_id")
            .bind(vec![due_seoul, due_ny, idle])
            .fetch_all(&world.db)
            .await
            .expect("preferences");
    let today = |tz: chrono_tz::Tz| {
        let local = Utc::now().with_timezone(&tz);
        // The reminder belonged to the local day on which its time fell.
        (local - TimeDelta::minutes(1)).date_naive()
    };
    assert_eq!(
        recorded,
        vec![(due_seoul, Some(today(seoul))), (due_ny, Some(today(new_york))), (idle, Some(today(seoul)))]
    );

    // The one-click unsubscribe of the header turns reminders off (RFC 8058 POST).
    let header = &seoul_mail.headers["List-Unsubscribe"];
    assert_eq!(seoul_mail.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    let url = header.trim_start_matches('<').trim_end_matches('>');
    assert!(url.starts_with(&format!("{base}/api/accounts/unsubscribe/?token=")), "{header}");
    assert!(seoul_mail.text().contains(&format!("{base}/unsubscribe?token=")), "the body links the confirmation page");
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("unsubscribe");
    assert_eq!(response.status(), StatusCode::OK);
    let enabled: bool =
        sqlx::query_scalar("SELECT daily_reminder_enabled FROM notification_preferences WHERE user_id = $1")
            .bind(due_seoul)
            .fetch_one(&world.db)
            .await
            .expect("preferences");
    assert!(!enabled);
}

#[sqlx::test(migrator = "resee_core::db::MIGRATOR")]
async fn a_permanent_smtp_rejection_is_dead_lettered_at_once(db: PgPool) {
    let world = World::new(db).await;
    let smtp = Smtp::start(&world).await;
    let worker = world.worker("worker", &[("SMTP_URL", smtp.url())]);
    let job = resee_core::jobs::SendEmail {
        message_id: "rejected-1".into(),
        to: "reject-me@example.com".into(),
        user_id: None,
        language: resee_core::i18n::Language::En,
        email: resee_core::jobs::Email::Welcome,
    };
    resee_core::jobs::enqueue(&world.redis, &job).await.expect("enqueue");
    let queue = resee_core::queue::Queue::new(world.redis.clone(), "test");
    let dead = eventually(WAIT, "the dead letter", || {
        let queue = queue.clone();
        async move { queue.dead_letters(10).await.ok().filter(|d| !d.is_empty()) }
    })
    .await;
    assert_eq!((dead[0].kind.as_str(), dead[0].attempts), ("send_email", 1));
    assert!(dead[0].error.contains("550"), "{}", dead[0].error);
    assert_eq!(worker.metric("resee_jobs_total", &["kind=\"send_email\"", "outcome=\"retried\""]).await, 0.0);
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM sent_emails").fetch_one(&world.db).await.expect("count");
    assert_eq!(sent, 0, "a rejected email is not recorded as sent");
}
