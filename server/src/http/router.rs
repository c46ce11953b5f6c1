use std::sync::Arc;

use app::port::{SharedPortal, SharedRecovery, SharedRegistration, SharedSettings, SharedStaff};
use app::{shell, App};
use axum::body::Body;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRef, State};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};

use super::{assets, client_ip, csrf, headers, language_link, passkeys};
use crate::outbox;
use crate::backend::Backend;
use crate::Services;

/// No form of ours is anywhere near this; bigger bodies get 413.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// No request of ours takes near this long (hashes queue briefly, then 503);
/// a response that stalls anyway (seen once under load, in a server-side
/// render) is cut off with 503 instead of holding the connection forever.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Arc<Services>,
    pub portal: SharedPortal,
    pub recovery: SharedRecovery,
    pub registration: SharedRegistration,
    pub settings: SharedSettings,
    pub staff: SharedStaff,
    pub backend: Arc<Backend>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> LeptosOptions {
        s.leptos_options.clone()
    }
}

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    let ports = (state.portal.clone(), state.recovery.clone(), state.registration.clone(), state.settings.clone(), state.staff.clone(), state.backend.tls());
    handle_server_fns_with_context(move || provide_ports(&ports), req).await
}

/// Whether a request surely comes from this machine: the server listens on a
/// loopback address only (`LEPTOS_SITE_ADDR`, as development does), the
/// peer is loopback, and no proxy says it forwarded someone else. A
/// loopback peer alone is not enough: a proxy on this machine that adds no
/// forwarding header makes every visitor look local.
fn from_this_machine(state: &AppState, peer: &SocketAddr, headers: &HeaderMap) -> bool {
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
    state.leptos_options.site_addr.ip().is_loopback() && peer.ip().is_loopback() && !forwarded
}

/// The dev outbox (SPEC §4): only in development with outbox delivery, and
/// only to a client [`from_this_machine`].
async fn dev_outbox(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> axum::response::Response {
    let svc = &state.services;
    if !svc.config.keeps_dev_outbox() {
        return (StatusCode::NOT_FOUND, "The dev outbox is on only in development, with PORTAL_DELIVERY=outbox.").into_response();
    }
    if !from_this_machine(&state, &peer, &headers) {
        return (StatusCode::NOT_FOUND, "The dev outbox answers only on this machine, to a server listening on a loopback address (use `portal outbox`).").into_response();
    }
    match outbox::all(&svc.store, &svc.bodies).await {
        Ok(messages) => axum::Json(messages).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading the outbox");
            (StatusCode::INTERNAL_SERVER_ERROR, "Could not read the outbox.").into_response()
        }
    }
}

type Ports = (SharedPortal, SharedRecovery, SharedRegistration, SharedSettings, SharedStaff, app::web::Tls);

/// What every page and server function may use: the ports, and the
/// language this request is answered in (`language::of_request`).
fn provide_ports((portal, recovery, registration, settings, staff, tls): &Ports) {
    // Read in place: cloning the request's parts (headers, extensions) costs more than the answer.
    if let Some(lang) = leptos::prelude::with_context::<axum::http::request::Parts, _>(|parts| {
        crate::language::of_request(&parts.headers, parts.uri.path(), *tls)
    }) {
        provide_context(lang);
    }
    provide_context(*tls);
    provide_context(staff.clone());
    provide_context(portal.clone());
    provide_context(recovery.clone());
    provide_context(registration.clone());
    provide_context(settings.clone());
}

/// `GET /metrics` (SPEC §6): with `Authorization: Bearer
/// PORTAL_METRICS_TOKEN`; in development also to a client
/// [`from_this_machine`]. Production answers only the token.
async fn metrics(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> axum::response::Response {
    use subtle::ConstantTimeEq;
    let svc = &state.services;
    let local = svc.config.mode == crate::config::Mode::Development && from_this_machine(&state, &peer, &headers);
    let presented = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let token_ok = match (&svc.config.metrics_token, presented) {
        (Some(want), Some(got)) => bool::from(want.0.as_bytes().ct_eq(got.as_bytes())),
        _ => false,
    };
    if !local && !token_ok {
        return (StatusCode::NOT_FOUND, "Not found.").into_response();
    }
    let body = crate::metrics::render(&svc.store, svc.clock.now()).await;
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.services.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

pub fn router(services: Arc<Services>, leptos_options: LeptosOptions) -> Router {
    let backend = Arc::new(Backend(services.clone()));
    let portal: SharedPortal = backend.clone();
    let recovery: SharedRecovery = backend.clone();
    let registration: SharedRegistration = backend.clone();
    let settings: SharedSettings = backend.clone();
    let staff: SharedStaff = backend.clone();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        services: services.clone(),
        portal: portal.clone(),
        recovery: recovery.clone(),
        registration: registration.clone(),
        settings: settings.clone(),
        staff: staff.clone(),
        backend,
    };
    let routes = generate_route_list(App);
    let secure = services.config.behind_tls();
    let ports: Ports = (portal, recovery, registration, settings, staff, app::web::Tls(secure));
    let context = move || provide_ports(&ports);
    // The app's own 404 page (its `<Routes>` fallback sets the status), rendered
    // on a root owner of its own like every page.
    let not_found = {
        let render = leptos_axum::render_app_async_with_context(context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        });
        tower::service_fn(move |req: Request<Body>| {
            let render = render.clone();
            async move { Ok::<_, std::convert::Infallible>(render(req).await) }
        })
    };

    Router::new()
        .route("/api/{*fn_name}", post(server_fn).get(server_fn))
        // Sign-in and sign-out forms posted here before their server functions
        // (a page left open across an upgrade): 307 keeps the method and body.
        .route("/login", post(|| async { Redirect::temporary("/api/login") }))
        .route("/logout", post(|| async { Redirect::temporary("/api/logout") }))
        .route("/language/{tag}", get(language_link::choose))
        .route("/passkey/register/start", post(passkeys::register_start))
        .route("/passkey/register/finish", post(passkeys::register_finish))
        .route("/passkey/sign-in/start", post(passkeys::sign_in_start))
        .route("/passkey/sign-in/finish", post(passkeys::sign_in_finish))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/dev/outbox", get(dev_outbox))
        .nest_service(&format!("/{}", leptos_options.site_pkg_dir), assets::service(&leptos_options))
        .leptos_routes_with_context(&state, routes, context, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(assets::site(&leptos_options, not_found))
        .layer(middleware::from_fn({
            let guard = csrf::Guard { origin: services.config.public_url.origin().ascii_serialization().into(), tls: app::web::Tls(secure) };
            move |req, next| csrf::guard(guard.clone(), req, next)
        }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Server functions read their own bodies: this answers 413 for them too.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(middleware::from_fn(move |req, next| headers::security_headers(secure, req, next)))
        .layer(middleware::from_fn(headers::log_requests))
        .layer(middleware::from_fn({
            let trusted = services.config.trusted_proxies.clone();
            move |req, next| client_ip::tag(trusted.clone(), req, next)
        }))
        .with_state(state)
}
