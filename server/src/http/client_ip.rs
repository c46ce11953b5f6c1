//! The client's address (SPEC §5): the socket's peer, unless the peer is a
//! proxy in `PORTAL_TRUSTED_PROXIES`; then `X-Forwarded-For`, read from the
//! right, up to the first hop that is not a trusted proxy. A client can put
//! anything at the left of that header; only what trusted hops appended counts.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

pub use app::visit::ClientIp;
pub use crate::client::{parse_trusted, TrustedProxies};

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// One `X-Forwarded-For` hop's address: a bare address, or one with a port
/// as some proxies write it (`203.0.113.5:51234`, `[2001:db8::1]:443`), or a
/// bracketed IPv6 address.
fn hop_address(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse::<IpAddr>().ok())
}

/// The client behind `peer`, given the request's `X-Forwarded-For` headers.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(&ip));
    let mut client = canonical(peer);
    if !is_trusted(client) {
        return client;
    }
    // Several headers are one list, in order (RFC 9110 §5.3).
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        // A hop that doesn't parse was not written by a proxy we trust: stop at the last one that was.
        let Some(ip) = hop_address(hop).map(canonical) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// Puts the request's [`ClientIp`] among its extensions.
pub async fn tag(trusted: TrustedProxies, mut req: Request<Body>, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = resolve(peer.ip(), req.headers(), &trusted.0);
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_trusted_hops_are_believed() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1").unwrap();
        // No proxy: the header is the client's own claim.
        assert_eq!(resolve(ip("203.0.113.9"), &xff(&["198.51.100.1"]), &trusted), ip("203.0.113.9"));
        // Through the proxy: the address it appended.
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["198.51.100.1"]), &trusted), ip("198.51.100.1"));
        // A client that sends its own header can't hide behind it.
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["1.2.3.4, 198.51.100.1"]), &trusted), ip("198.51.100.1"));
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["1.2.3.4", "198.51.100.1, 10.1.1.1"]), &trusted), ip("198.51.100.1"));
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["nonsense"]), &trusted), ip("127.0.0.1"));
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&[]), &trusted), ip("127.0.0.1"));
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), &xff(&["::ffff:198.51.100.1"]), &trusted), ip("198.51.100.1"));
        // A hop with a port, as some proxies write it, still names its client.
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["203.0.113.5:51234"]), &trusted), ip("203.0.113.5"));
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["[2001:db8::1]:443"]), &trusted), ip("2001:db8::1"));
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["[2001:db8::1]"]), &trusted), ip("2001:db8::1"));
        // Nothing trusted (the default): the peer, whatever the header says.
        assert_eq!(resolve(ip("127.0.0.1"), &xff(&["198.51.100.1"]), &[]), ip("127.0.0.1"));
    }

    #[test]
    fn a_bad_entry_names_itself() {
        assert!(parse_trusted("10.0.0.0/8,banana").unwrap_err().contains("banana"));
        assert_eq!(parse_trusted("").unwrap(), vec![]);
        assert_eq!(parse_trusted("::1").unwrap().len(), 1);
    }
}
