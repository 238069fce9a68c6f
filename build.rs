//! Generates the bindings from the spec with progenitor (settings in sdk-gen).

use std::path::Path;

fn main() {
    let spec = Path::new(logto_account_sdk_gen::SPEC_RELATIVE_PATH);
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed=build.rs");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set; run this through cargo");
        return;
    };
    let out = Path::new(&out_dir).join("logto_account_api.rs");
    if let Err(error) = logto_account_sdk_gen::generate_file(spec, &out) {
        println!("cargo::error={error}");
    }
}
