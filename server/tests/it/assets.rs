//! The site's `pkg/` files and root scripts go out brotli- or gzip-compressed to browsers
//! that accept it, as they are to those that don't, with the same security
//! headers as everything else; browsers revalidate them on each use.

use crate::common;

use std::io::Read;

use common::{Db, TestApp};

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut req = common::browser_builder().build().unwrap().get(app.url(path));
    if let Some(enc) = accept_encoding {
        req = req.header("accept-encoding", enc);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn pkg_files_go_out_compressed_to_browsers_that_take_it() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let pkg = app.site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let wasm: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 1009).to_le_bytes()).collect();
    std::fs::write(pkg.join("portal.wasm"), &wasm).unwrap();

    // Before the copies exist the file goes out as it is.
    let plain = get(&app, "/pkg/portal.wasm", Some("br, gzip")).await;
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), wasm.as_slice());

    assert_eq!(server::http::assets::precompress(&pkg).unwrap(), 1);

    let br = get(&app, "/pkg/portal.wasm", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    assert_eq!(br.headers()["x-content-type-options"], "nosniff");
    assert!(br.headers().get("content-security-policy").is_some());
    let body = br.bytes().await.unwrap();
    assert!(body.len() < wasm.len() / 4, "brotli {} of {}", body.len(), wasm.len());
    let mut unbr = Vec::new();
    brotli::BrotliDecompress(&mut body.as_ref(), &mut unbr).unwrap();
    assert_eq!(unbr, wasm);

    let gz = get(&app, "/pkg/portal.wasm", Some("gzip")).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["cache-control"], "no-cache");
    assert_eq!(gz.headers()["vary"], "accept-encoding");
    let last_modified = gz.headers()["last-modified"].clone();
    let again = common::browser_builder().build().unwrap()
        .get(app.url("/pkg/portal.wasm"))
        .header("accept-encoding", "gzip")
        .header("if-modified-since", last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304, "an unchanged file is not sent again");
    let mut ungz = Vec::new();
    flate2::read::GzDecoder::new(gz.bytes().await.unwrap().as_ref()).read_to_end(&mut ungz).unwrap();
    assert_eq!(ungz, wasm);


    let identity = get(&app, "/pkg/portal.wasm", None).await;
    assert!(identity.headers().get("content-encoding").is_none());
    assert_eq!(identity.bytes().await.unwrap().as_ref(), wasm.as_slice());

    assert_eq!(get(&app, "/pkg/no-such.wasm", Some("br")).await.status(), 404);
}

/// The scripts at the site's root (`passkeys.js`, on `/login` and
/// `/settings`) go out compressed too, once `portal precompress` has run.
#[tokio::test]
async fn scripts_at_the_site_root_go_out_compressed() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let script = "// passkeys\n".repeat(2_000);
    std::fs::create_dir_all(&app.site).unwrap();
    std::fs::write(app.site.join("passkeys.js"), &script).unwrap();
    assert!(get(&app, "/passkeys.js", Some("br")).await.headers().get("content-encoding").is_none());
    assert!(server::http::assets::precompress(&app.site).unwrap() >= 1);
    let br = get(&app, "/passkeys.js", Some("gzip, deflate, br")).await;
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert!(br.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let mut unbr = Vec::new();
    brotli::BrotliDecompress(&mut br.bytes().await.unwrap().as_ref(), &mut unbr).unwrap();
    assert_eq!(unbr, script.as_bytes());
}

/// Issue 31: pages that never came alive. A page's render makes a reactive
/// root owner (`Owner::new_root`, which makes itself current) and leaves it
/// current on its worker thread while it awaits its data. A file at the
/// site's root (`/language.js`, fetched by every page) served on that thread
/// meanwhile was built by `leptos_axum::file_and_error_handler` under an owner
/// made beneath it, and took that page's `ResponseOptions`: the script left
/// with the page's Content-Security-Policy (and a 404 page's status), and the
/// page with `default-src 'none'`, its nonce'd hydration script blocked. Here
/// the page's owner is left current exactly so, on this one-thread runtime.
#[tokio::test(flavor = "current_thread")]
async fn a_file_at_the_site_root_never_takes_the_response_of_a_page_being_rendered() {
    use axum::extract::ConnectInfo;
    use http::header::CONTENT_SECURITY_POLICY as CSP;
    use leptos::prelude::{provide_context, Owner};
    use tower::ServiceExt;

    let app = TestApp::spawn(Db::Sqlite).await;
    std::fs::create_dir_all(&app.site).unwrap();
    std::fs::write(app.site.join("language.js"), "// the language link\n").unwrap();
    let options = leptos::config::LeptosOptions::builder().output_name("portal").site_root(app.site.to_string_lossy().into_owned()).build();
    let router = server::http::router(app.services.clone(), options);

    // What a page being rendered leaves current: its root owner, holding the
    // response it is building (its own CSP, here a 404 page's status).
    let page = Owner::new_root(None);
    let building = leptos_axum::ResponseOptions::default();
    page.with(|| provide_context(building.clone()));
    building.insert_header(CSP, http::HeaderValue::from_static("script-src 'nonce-THE-PAGES'"));
    building.set_status(http::StatusCode::NOT_FOUND);

    let mut req = http::Request::get("/language.js").body(axum::body::Body::empty()).unwrap();
    req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = router.oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200, "the script keeps its own status");
    let csp = res.headers()[CSP].to_str().unwrap().to_string();
    assert!(!csp.contains("THE-PAGES"), "the script took the page's CSP: {csp}");
    assert_eq!(res.headers()["cache-control"], "no-cache", "revalidated on each use, as /pkg is");
    let kept = building.0.read().unwrap().headers.get(CSP).cloned();
    assert_eq!(kept.as_ref().map(|v| v.to_str().unwrap()), Some("script-src 'nonce-THE-PAGES'"), "the page keeps its CSP");
    drop(page);
}
