//! SPEC §5 headers on every response, a same-origin check on every POST, and
//! request logs that name the route, never the raw URL (tokens live in URLs).

use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// For responses that are not pages (pages get a nonce-bearing CSP from the shell).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub async fn security_headers(behind_tls: bool, req: Request<Body>, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/") || req.uri().path() == "/favicon.ico";
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(DEFAULT_CSP));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
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

/// Refuses POSTs that another site made the browser send (login CSRF).
/// Browsers say so in `Sec-Fetch-Site`; `Origin` can't be relied on alone,
/// because our `Referrer-Policy: no-referrer` makes form posts send `null`.
fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (get("origin"), get("host")) {
        (Some(origin), Some(host)) if origin != "null" => origin.split_once("://").map(|(_, h)| h) != Some(host),
        _ => false,
    }
}

pub async fn same_origin_posts(req: Request<Body>, next: Next) -> Response {
    if req.method() == Method::POST && cross_site(req.headers()) {
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(req).await
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

pub async fn log_requests(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let res = next.run(req).await;
    tracing::info!(%method, path, status = res.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    res
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn posts_from_other_sites_are_recognized() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = axum::http::HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, v.parse().unwrap());
            }
            m
        };
        assert!(!super::cross_site(&h(&[("sec-fetch-site", "same-origin"), ("origin", "null")])));
        assert!(super::cross_site(&h(&[("sec-fetch-site", "cross-site")])));
        assert!(super::cross_site(&h(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(!super::cross_site(&h(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!super::cross_site(&h(&[])));
    }

    #[test]
    fn logged_paths_never_carry_tokens() {
        assert_eq!(loggable_path("/reset/SECRET-TOKEN"), "/reset/…");
        assert_eq!(loggable_path("/login"), "/login");
        assert_eq!(loggable_path("/pkg/portal.wasm"), "/pkg/portal.wasm");
    }
}
