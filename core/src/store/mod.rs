//! Data access: every SQL statement of Resee lives in this module, one file per table group, so
//! each table has one owner that the api and the worker share. Callers never hold SQL.

pub mod admin;
pub mod backups;
pub mod categories;
pub mod contents;
pub mod exams;
pub mod outbox;
pub mod password_resets;
pub mod preferences;
pub mod processed_jobs;
pub mod reviews;
pub mod sent_emails;
pub mod sessions;
pub mod subscriptions;
pub mod users;
