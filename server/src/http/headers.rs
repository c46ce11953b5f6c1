//! SPEC §5 headers on every response, and request logs that name the route,
//! never the raw URL (tokens live in URLs).

use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// For responses that are not pages (pages get a nonce-bearing CSP from the shell).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn security_headers(behind_tls: bool, req: Request<Body>, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/") || req.uri().path() == "/favicon.ico";
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(DEFAULT_CSP));
    // Tokens are in URLs: they must not leave the site, and same-origin posts then carry a real Origin.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if behind_tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// The path as logged: deeper segments may be tokens (`/reset/{token}`), so
/// only the first segment is kept, except for static files and server functions.
fn loggable_path(path: &str) -> String {
    if path.starts_with("/pkg/") || path.starts_with("/api/") {
        return path.chars().take(80).collect();
    }
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let first: String = segments.next().unwrap_or_default().chars().take(40).collect();
    match segments.next() {
        Some(_) => format!("/{first}/…"),
        None => format!("/{first}"),
    }
}

/// A route as metrics label it: the logged path, every static file one
/// route, and every path that matched nothing one more (a scanner's made-up
/// paths must not make a label each).
fn route_of(logged: &str, status: u16) -> String {
    match (status, logged) {
        (404 | 405, _) => "(unmatched)".into(),
        (_, p) if p.starts_with("/pkg/") => "/pkg".into(),
        (_, p) => p.to_string(),
    }
}

pub async fn log_requests(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let res = next.run(req).await;
    let took = started.elapsed();
    tracing::info!(%method, path, status = res.status().as_u16(), ms = took.as_millis() as u64, "request");
    crate::metrics::response(&route_of(&path, res.status().as_u16()), res.status().as_u16(), took);
    res
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn logged_paths_never_carry_tokens() {
        assert_eq!(loggable_path("/reset/SECRET-TOKEN"), "/reset/…");
        assert_eq!(loggable_path("/login"), "/login");
        assert_eq!(loggable_path("/pkg/portal.wasm"), "/pkg/portal.wasm");
    }
}
