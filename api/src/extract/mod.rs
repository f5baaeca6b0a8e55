//! Request extractors: JSON bodies with the documented error bodies, the signed-in user, the
//! client's address.

mod auth;
mod client_ip;
mod json;

pub use auth::{AdminUser, AuthUser};
pub use client_ip::ClientIp;
pub use json::ApiJson;
