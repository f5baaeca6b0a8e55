//! Request extractors: bodies read through the field layer, the signed-in user, the client's
//! address.

mod auth;
mod client_ip;
mod input;
mod params;

pub use auth::{AdminUser, AuthUser};
pub use client_ip::ClientIp;
pub use input::Input;
pub use params::{Id, Params};
