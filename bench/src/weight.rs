//! The front end's weight: each built file raw, gzip -9 and brotli q11, and
//! what a first visit to `/login` downloads (the HTML, then the CSS, JS and
//! wasm it names).

use std::io::Write;

pub struct Size {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

fn compressed(bytes: &[u8]) -> anyhow::Result<Size> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?.len() as u64;
    let mut br = Vec::new();
    brotli::CompressorWriter::new(&mut br, 4096, 11, 22).write_all(bytes)?;
    Ok(Size { raw: bytes.len() as u64, gzip, brotli: br.len() as u64 })
}

/// A chunk `cargo leptos build --split` cut out of the main wasm for a lazy island.
pub fn is_lazy_chunk(file: &str) -> bool {
    let name = file.trim_start_matches("pkg/");
    name.starts_with("chunk_") || name.starts_with("split_")
}

/// Every file in the built site's `pkg/` folder.
pub fn sizes(site_pkg: &str) -> anyhow::Result<Vec<(String, Size)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(site_pkg)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // What browsers load; not the TypeScript declarations beside them.
        if !(name.ends_with(".wasm") || name.ends_with(".js") || name.ends_with(".css")) {
            continue;
        }
        out.push((format!("pkg/{name}"), compressed(&std::fs::read(&path)?)?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Brotli bytes of the `/login` HTML plus the `pkg/` files it names (other
/// pages' lazy islands are chunks fetched only where they show).
pub async fn first_visit(base: &str, site_pkg: &str) -> anyhow::Result<u64> {
    let html = reqwest::get(format!("{base}/login")).await?.bytes().await?;
    let page = String::from_utf8_lossy(&html);
    let mut total = compressed(&html)?.brotli;
    for (file, size) in sizes(site_pkg)? {
        if page.contains(&format!("/{file}")) {
            total += size.brotli;
        }
    }
    Ok(total)
}
