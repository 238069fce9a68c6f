//! The generated API must match the reviewed snapshot `openapi/surface.txt`.
//! After an intended change, rewrite it with `UPDATE_SURFACE=1 cargo test -p logto-account-sdk-gen --test generator surface`
//! (or `cargo run -p logto-account-sdk-gen -- surface > openapi/surface.txt`) and review the diff.

use std::path::PathBuf;

#[test]
fn the_generated_api_matches_the_committed_surface() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec =
        logto_account_sdk_gen::load(&root.join(logto_account_sdk_gen::SPEC_RELATIVE_PATH)).unwrap();
    let surface =
        logto_account_sdk_gen::surface(&logto_account_sdk_gen::generate(&spec).unwrap()).unwrap();
    let snapshot = root.join("openapi/surface.txt");

    if std::env::var_os("UPDATE_SURFACE").is_some() {
        std::fs::write(&snapshot, &surface).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&snapshot).unwrap_or_default();
    if committed != surface {
        let added: Vec<&str> = surface
            .lines()
            .filter(|l| !committed.lines().any(|c| c == *l))
            .collect();
        let removed: Vec<&str> = committed
            .lines()
            .filter(|l| !surface.lines().any(|s| s == *l))
            .collect();
        panic!(
            "the generated API changed; review it and run with UPDATE_SURFACE=1 to accept.\nadded:\n  {}\nremoved:\n  {}",
            added.join("\n  "),
            removed.join("\n  ")
        );
    }
}

#[test]
fn the_surface_lists_methods_types_fields_and_variants() {
    let code = "
        pub mod types {
            pub struct A { pub x: Option<String> }
            pub enum B { One, Two(A) }
            struct Hidden;
        }
        pub struct Client;
        impl Client {
            pub async fn get<'a>(&'a self, id: &'a str) -> Result<(), ()> { Ok(()) }
            fn private(&self) {}
        }
    ";

    assert_eq!(
        logto_account_sdk_gen::surface(code).unwrap(),
        "field A.x: Option<String>\n\
         method async fn get<'a>(&'a self, id: &'a str) -> Result<(), ()>\n\
         type A (struct)\n\
         type B (enum)\n\
         variant B::One\n\
         variant B::Two(A)\n"
    );
}
