//! The worker's integration tests: real `resee-worker` (and `resee-api`) processes against
//! real PostgreSQL, Redis, an aiosmtpd SMTP server and a local Slack stand-in.

mod ai;
mod ai_standin;
mod backups;
mod emails;
mod exams;
mod library;
mod queue;
mod scheduler;
mod support;
