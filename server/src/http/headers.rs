//! SPEC §5 headers on every response, and request logs that name the route,
//! never the raw URL (tokens live in URLs).

use std::time::Instant;

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// For responses that are not pages (pages get a nonce-bearing CSP from the shell).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// A built file, revalidated on each use rather than never kept: `/pkg/*` and
/// the scripts at the site's root (`/language.js`, `/passkeys.js`). No page's
/// path ends in `.js`.
fn is_site_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.ico" || (path.ends_with(".js") && path.rfind('/') == Some(0))
}

pub async fn security_headers(behind_tls: bool, req: Request<Body>, next: Next) -> Response {
    let is_asset = is_site_file(req.uri().path());
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

/// A route as metrics label it: the route's template as the router matched
/// it (`/reset/{token}`, never a token), a server function by its
/// registered path, every static file one route, and one label each for a
/// path that matched no route and an `/api/` path that names no server
/// function. A scanner's made-up paths (`POST /<random>` refused by the
/// CSRF check, `GET /api/<random>`) can't add a series each (SPEC §5).
fn route_of(matched: Option<&str>, path: &str) -> String {
    match matched {
        None => "(unmatched)".into(),
        Some(SERVER_FNS) => match server_fn_path(path) {
            Some(known) => known.to_string(),
            None => "/api/(unknown)".into(),
        },
        Some(p) if p.starts_with("/pkg") => "/pkg".into(),
        Some(p) => p.to_string(),
    }
}

/// The router's template for every server function.
const SERVER_FNS: &str = "/api/{*fn_name}";

/// `path` as a registered server function's path, if it is one.
fn server_fn_path(path: &str) -> Option<&'static str> {
    leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p).find(|p| *p == path)
}

pub async fn log_requests(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let route = route_of(req.extensions().get::<MatchedPath>().map(MatchedPath::as_str), req.uri().path());
    let res = next.run(req).await;
    let took = started.elapsed();
    tracing::info!(%method, path, status = res.status().as_u16(), ms = took.as_millis() as u64, "request");
    crate::metrics::response(&route, res.status().as_u16(), took);
    res
}

#[cfg(test)]
mod tests {
    use super::{loggable_path, route_of};

    #[test]
    fn logged_paths_never_carry_tokens() {
        assert_eq!(loggable_path("/reset/SECRET-TOKEN"), "/reset/…");
        assert_eq!(loggable_path("/login"), "/login");
        assert_eq!(loggable_path("/pkg/portal.wasm"), "/pkg/portal.wasm");
    }

    #[test]
    fn routes_are_labelled_by_template_and_made_up_paths_share_one_label() {
        assert_eq!(route_of(Some("/reset/{token}"), "/reset/SECRET"), "/reset/{token}");
        assert_eq!(route_of(None, "/x9f3k"), "(unmatched)");
        assert_eq!(route_of(Some("/api/{*fn_name}"), "/api/x9f3k"), "/api/(unknown)");
        assert_eq!(route_of(Some("/pkg/{*rest}"), "/pkg/portal.wasm"), "/pkg");
    }
}
