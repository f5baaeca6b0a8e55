//! The worker's integration tests: real `resee-worker` (and `resee-api`) processes against
//! real PostgreSQL, Redis, an aiosmtpd SMTP server and a local Slack stand-in.

mod backups;
mod emails;
mod queue;
mod scheduler;
mod support;
