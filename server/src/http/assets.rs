//! The built site's `pkg/` folder (wasm, JS, CSS), served brotli- or
//! gzip-compressed to browsers that accept it: a patient on a slow network
//! downloads the wasm at about a quarter of its size. `portal precompress`
//! (run by scripts/setup.sh after each build) writes `NAME.br` and `NAME.gz`
//! beside each file, in a process of its own: brotli at its best level takes
//! about 40 MiB for a moment, which the server should not keep. Until the
//! copies exist, the files go out as they are (`portal serve` warns).
//!
//! The names carry no content hash and the JS glue must match its wasm, so
//! a browser may keep the files but asks again on each use (`no-cache`): an
//! unchanged file costs a 304, and a new build is never mixed with an old
//! one. `Vary: Accept-Encoding` keeps shared caches from handing brotli to a
//! browser that did not ask for it.

use std::io::Write;
use std::path::{Path, PathBuf};

use http::header::{HeaderValue, CACHE_CONTROL, VARY};
use leptos::config::LeptosOptions;
use tower::ServiceBuilder;
use tower_http::services::fs::DefaultServeDirFallback;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

pub fn pkg_dir(options: &LeptosOptions) -> PathBuf {
    Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

/// The folders whose scripts, wasm and CSS go out compressed: `pkg/`, and
/// the site's root (`passkeys.js`, `language.js`).
pub fn compressed_dirs(options: &LeptosOptions) -> [PathBuf; 2] {
    [pkg_dir(options), PathBuf::from(options.site_root.as_ref())]
}

/// Files served as they are built: revalidated on each use, compressed when
/// the request accepts it and a copy exists.
pub type Files<F> = SetResponseHeader<SetResponseHeader<ServeDir<F>, HeaderValue>, HeaderValue>;

fn files<F>(dir: ServeDir<F>) -> Files<F> {
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(SetResponseHeaderLayer::overriding(VARY, HeaderValue::from_static("accept-encoding")))
        .service(dir.precompressed_br().precompressed_gzip())
}

/// `/pkg/*`: the compressed copy the request accepts, else the file itself.
pub fn service(options: &LeptosOptions) -> Files<DefaultServeDirFallback> {
    files(ServeDir::new(pkg_dir(options)))
}

/// Every path no route took: a file at the site's root (the scripts in
/// `public/`), else `not_found` (the app's "page not found", any method).
///
/// Not `leptos_axum::file_and_error_handler`: its file branch makes an owner
/// under whichever reactive owner the worker thread last had current and takes
/// that owner's `ResponseOptions` for the file's response. Under concurrency
/// that was another request's page still being served: the script left with
/// the page's `Content-Security-Policy` (the page then went out with
/// `default-src 'none'`, its hydration script blocked, never coming alive) or
/// with its status (`/passkeys.js` answered 404 beside a 404 page). Issue 31;
/// `tests/it/assets.rs` reproduces it.
pub fn site<F>(options: &LeptosOptions, not_found: F) -> Files<F> {
    let dir = ServeDir::new(options.site_root.as_ref())
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found);
    files(dir)
}

fn compressible(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css"))
}

/// Is `copy` at least as new as `source`?
fn fresh(source: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(source), modified(copy)), (Some(s), Some(c)) if c >= s)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// request never sees half a file.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = suffixed(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes)?;
    w.finish()
}

/// The wasm, JS and CSS files in `dir` whose compressed copies are missing
/// or older than they are.
pub fn stale(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let source = entry?.path();
        if compressible(&source) && !(fresh(&source, &suffixed(&source, "br")) && fresh(&source, &suffixed(&source, "gz"))) {
            out.push(source);
        }
    }
    out.sort();
    Ok(out)
}

/// Writes the compressed copies of every [`stale`] file; returns how many
/// files it compressed.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let sources = stale(dir)?;
    for source in &sources {
        let bytes = std::fs::read(source)?;
        write_whole(&suffixed(source, "br"), &brotli(&bytes)?)?;
        write_whole(&suffixed(source, "gz"), &gzip(&bytes)?)?;
    }
    Ok(sources.len())
}

/// `portal.wasm` + `br` → `portal.wasm.br`.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_copies_that_decompress_to_the_file_and_redoes_only_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("portal.wasm");
        let body: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        std::fs::write(&wasm, &body).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not served compressed").unwrap();

        assert_eq!(stale(dir.path()).unwrap(), vec![wasm.clone()]);
        assert_eq!(precompress(dir.path()).unwrap(), 1);
        let br = std::fs::read(dir.path().join("portal.wasm.br")).unwrap();
        let mut unbr = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut unbr).unwrap();
        assert_eq!(unbr, body);
        let gz = std::fs::read(dir.path().join("portal.wasm.gz")).unwrap();
        let mut ungz = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz.as_slice()), &mut ungz).unwrap();
        assert_eq!(ungz, body);
        assert!(br.len() < body.len() / 4, "brotli {} of {}", br.len(), body.len());
        assert!(!dir.path().join("notes.txt.br").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4, "no temporary file is left");

        assert!(stale(dir.path()).unwrap().is_empty());
        assert_eq!(precompress(dir.path()).unwrap(), 0, "fresh copies are kept");
    }
}
