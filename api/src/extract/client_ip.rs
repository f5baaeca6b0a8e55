//! The client's IP address, for rate limits.
//!
//! `CF-Connecting-IP` and `X-Forwarded-For` are believed only when the TCP peer is one of the
//! configured trusted proxies; otherwise anyone could pick their own rate-limit bucket.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the server was started without peer addresses")))?;
        Ok(Self(resolve(peer, &parts.headers, &state.config.trusted_proxies)))
    }
}

/// The first address, walking `X-Forwarded-For` from the right, that is not a trusted proxy;
/// `CF-Connecting-IP` wins when the peer is trusted.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let header_ip =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<IpAddr>().ok());
    if let Some(ip) = header_ip("cf-connecting-ip") {
        return ip;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded.iter().rev().find(|ip| !is_trusted(ip)).or(forwarded.first()).copied().unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        headers.insert("cf-connecting-ip", HeaderValue::from_static("5.6.7.8"));
        assert_eq!(resolve(ip("9.9.9.9"), &headers, &[]), ip("9.9.9.9"));
    }

    #[test]
    fn trusted_peers_pass_the_client_address_on() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 1.2.3.4, 10.0.0.7"));
        assert_eq!(resolve(ip("10.0.0.1"), &headers, &trusted), ip("1.2.3.4"));
        headers.insert("cf-connecting-ip", HeaderValue::from_static("5.6.7.8"));
        assert_eq!(resolve(ip("10.0.0.1"), &headers, &trusted), ip("5.6.7.8"));
    }
}
