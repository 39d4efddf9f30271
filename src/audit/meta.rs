//! Facts about the request itself that audit rows and logs need: the request id and the
//! client's IP address.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::state::AppState;

/// The request id (from `x-request-id`, set by the outermost layer) and the client address.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    /// Correlates the response, the log lines and audit rows.
    pub request_id: String,
    /// The peer address, or the address a trusted reverse proxy reported.
    pub client_ip: Option<IpAddr>,
}

impl RequestMeta {
    /// Reads the meta from request parts.
    pub fn from_parts(parts: &Parts, state: &AppState) -> Self {
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(64)
            .collect();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Self {
            request_id,
            client_ip: client_ip(parts, peer, state.config.trusted_proxy),
        }
    }
}

/// Trusts `X-Forwarded-For` only from the configured proxy, and then only its last hop (the
/// address the proxy itself saw); anything a client writes into the header is ignored.
fn client_ip(parts: &Parts, peer: Option<IpAddr>, trusted_proxy: Option<IpAddr>) -> Option<IpAddr> {
    match (peer, trusted_proxy) {
        (Some(peer), Some(proxy)) if peer == proxy => parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|ip| ip.trim().parse().ok())
            .or(Some(peer)),
        (peer, _) => peer,
    }
}

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, state))
    }
}
