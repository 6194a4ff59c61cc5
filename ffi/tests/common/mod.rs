//! Shared by the Rust test binaries of the C API.

use std::path::Path;

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The input of every spec vector below `dir`, appended to `out`.
pub fn inputs(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            inputs(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            let f: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            for v in f["vectors"].as_array().unwrap() {
                out.push(v["input"].as_str().unwrap().to_owned());
            }
        }
    }
}
