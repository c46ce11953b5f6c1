//! Who is asking: the client's address and user agent, as recorded in the
//! audit log and used for per-IP throttling. The type is the port's
//! (`app::visit`), read from a request by the web layer (`app::web`).

pub use app::visit::ClientMeta;

use std::net::IpAddr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub std::sync::Arc<[IpNet]>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;
    fn from_str(s: &str) -> Result<TrustedProxies, String> {
        parse_trusted(s).map(|v| TrustedProxies(v.into()))
    }
}

/// `PORTAL_TRUSTED_PROXIES`: CIDRs or single addresses, comma-separated.
pub fn parse_trusted(s: &str) -> Result<Vec<IpNet>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{p:?} is not an address or CIDR (like 10.0.0.0/8 or 127.0.0.1)"))
        })
        .collect()
}
