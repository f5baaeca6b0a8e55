//! Integration tests: the real app over HTTP, against real PostgreSQL (a fresh database per
//! test, from `#[sqlx::test]`) and real Redis (a private key prefix per test).

mod accounts;
mod admin;
mod auth;
mod categories;
mod cli;
mod compat;
mod contents;
mod degradation;
mod errors;
mod fields;
mod google;
mod health;
mod isolation;
mod ladder;
mod original_client;
mod passwords;
mod queries;
mod rate_limits;
mod review;
mod subscription;
mod support;
