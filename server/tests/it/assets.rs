//! The site's `pkg/` files go out brotli- or gzip-compressed to browsers
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
