//! Who is asking: the client's address and user agent, as recorded in the
//! audit log and used for per-IP throttling.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;

use crate::http::client_ip::ClientIp;

const MAX_USER_AGENT: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: String,
}

impl ClientMeta {
    pub fn from_parts(parts: &http::request::Parts) -> ClientMeta {
        // The address behind trusted proxies (`http::client_ip`), else the socket's peer.
        let ip = parts
            .extensions
            .get::<ClientIp>()
            .map(|c| c.0)
            .or_else(|| parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()));
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_USER_AGENT)
            .collect();
        ClientMeta { ip, user_agent }
    }

    /// A client for work started from the command line.
    pub fn cli() -> ClientMeta {
        ClientMeta { ip: None, user_agent: "portal CLI".into() }
    }

    pub fn ip_text(&self) -> String {
        self.ip.map(|ip| ip.to_string()).unwrap_or_default()
    }
}
