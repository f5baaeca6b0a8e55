//! Data access: every SQL statement of the api lives in this module, one file per table group.
//! Handlers call these functions and never hold SQL themselves.

pub mod admin;
pub mod categories;
pub mod contents;
pub mod exams;
pub mod password_resets;
pub mod preferences;
pub mod reviews;
pub mod sessions;
pub mod subscriptions;
pub mod users;
