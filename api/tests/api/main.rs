//! Integration tests: the real app over HTTP, against real PostgreSQL (a fresh database per
//! test, from `#[sqlx::test]`) and real Redis (a private key prefix per test).

mod accounts;
mod admin;
mod auth;
mod cli;
mod errors;
mod google;
mod health;
mod passwords;
mod rate_limits;
mod subscription;
mod support;
