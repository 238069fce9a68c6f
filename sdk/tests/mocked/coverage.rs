//! Every operation in the spec has a facade method that calls it, an
//! httpmock test of the request it sends, and an end-to-end test against the
//! emulator. Read from the spec and from the code's syntax trees (calls,
//! not text), so that formatting cannot hide or fake a call.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use syn::visit::Visit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, parsed.
fn parse_all(dir: &Path) -> Vec<syn::File> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(parse_all(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            files.push(syn::parse_file(&text).unwrap_or_else(|e| panic!("{path:?}: {e}")));
        }
    }
    files
}

/// `UpdatePrimaryEmail` to `update_primary_email`, as progenitor names it.
fn snake_case(operation_id: &str) -> String {
    let mut name = String::new();
    for (index, c) in operation_id.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

/// Whether `path` (with `{params}`) matches a concrete test path.
fn path_matches(template: &str, concrete: &str) -> bool {
    let (template, concrete): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), concrete.split('/').collect());
    template.len() == concrete.len()
        && template
            .iter()
            .zip(&concrete)
            .all(|(t, c)| (t.starts_with('{') && !c.is_empty()) || t == c)
}

/// What one facade method does: the generated operations it calls
/// (`self.api().op(..)`, or `send_built(.., "op", ..)` for what progenitor
/// cannot generate) and the other methods of `self` it calls.
#[derive(Default)]
struct MethodCalls {
    operations: BTreeSet<String>,
    methods: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for MethodCalls {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let name = call.method.to_string();
        match &*call.receiver {
            syn::Expr::MethodCall(inner) if inner.method == "api" => {
                self.operations.insert(name.clone());
            }
            syn::Expr::Path(path) if path.path.is_ident("self") => {
                self.methods.insert(name.clone());
            }
            _ => {}
        }
        if name == "send_built" {
            for argument in &call.args {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(operation),
                    ..
                }) = argument
                {
                    self.operations.insert(operation.value());
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for argument in macro_arguments(mac) {
            self.visit_expr(&argument);
        }
    }
}

/// Facade method name → the generated operations it reaches, directly or
/// through other methods of the client.
fn facade_operations(files: &[syn::File]) -> BTreeMap<String, BTreeSet<String>> {
    let mut direct: BTreeMap<String, MethodCalls> = BTreeMap::new();
    for file in files {
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = &*block.self_ty else {
                continue;
            };
            if !ty.path.is_ident("AccountClient") || block.trait_.is_some() {
                continue;
            }
            for member in &block.items {
                if let syn::ImplItem::Fn(method) = member {
                    let mut calls = MethodCalls::default();
                    calls.visit_block(&method.block);
                    direct.insert(method.sig.ident.to_string(), calls);
                }
            }
        }
    }
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut operations = BTreeSet::new();
        let mut stack = vec![start.to_owned()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(calls) = direct.get(&name) {
                operations.extend(calls.operations.iter().cloned());
                stack.extend(calls.methods.iter().cloned());
            }
        }
        operations
    };
    direct
        .keys()
        .map(|name| (name.clone(), reach(name)))
        .collect()
}

/// `(METHOD, path)` of every `request(when, METHOD, "path")` call, and the
/// name of every method called anywhere.
#[derive(Default)]
struct TestCalls {
    requests: Vec<(String, String)>,
    methods: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for TestCalls {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(function) = &*call.func
            && function.path.is_ident("request")
            && let [_, syn::Expr::Path(method), syn::Expr::Lit(path)] =
                call.args.iter().collect::<Vec<_>>()[..]
            && let syn::Lit::Str(path) = &path.lit
            && let Some(method) = method.path.get_ident()
        {
            self.requests.push((method.to_string(), path.value()));
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.methods.insert(call.method.to_string());
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for argument in macro_arguments(mac) {
            self.visit_expr(&argument);
        }
    }
}

/// The expressions inside a macro call (`assert!(client.x().await...)`),
/// where they parse as a comma-separated list, as `assert!`'s and
/// `format!`'s arguments do.
fn macro_arguments(mac: &syn::Macro) -> Vec<syn::Expr> {
    mac.parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map(|arguments| arguments.into_iter().collect())
        .unwrap_or_default()
}

fn test_calls(files: &[syn::File]) -> TestCalls {
    let mut calls = TestCalls::default();
    for file in files {
        calls.visit_file(file);
    }
    calls
}

#[test]
fn every_operation_has_a_facade_method_a_request_test_and_an_end_to_end_test() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("openapi/logto-account.json")).unwrap(),
    )
    .unwrap();
    let facade = facade_operations(&parse_all(&root().join("sdk/src")));
    let mocked = test_calls(&parse_all(&root().join("sdk/tests/mocked")));
    let e2e = test_calls(&parse_all(&root().join("sdk/tests/e2e")));
    let reached_by = |calls: &TestCalls| -> BTreeSet<String> {
        calls
            .methods
            .iter()
            .filter_map(|method| facade.get(method))
            .flatten()
            .cloned()
            .collect()
    };
    let called_by_facade: BTreeSet<String> = facade.values().flatten().cloned().collect();
    let called_end_to_end = reached_by(&e2e);
    let mut missing = Vec::new();

    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            let generated = snake_case(id);
            if !called_by_facade.contains(&generated) {
                missing.push(format!("{id}: no facade method calls `{generated}`"));
            }
            let method = method.to_uppercase();
            if !mocked
                .requests
                .iter()
                .any(|(m, p)| *m == method && path_matches(path, p))
            {
                missing.push(format!(
                    "{id}: no httpmock test matches a {method} {path} request"
                ));
            }
            if !called_end_to_end.contains(&generated) {
                missing.push(format!(
                    "{id}: no end-to-end test calls a facade method that sends it"
                ));
            }
        }
    }

    assert!(missing.is_empty(), "uncovered:\n{}", missing.join("\n"));
}

#[test]
fn the_coverage_check_reads_calls_and_requests_right() {
    assert_eq!(
        snake_case("VerifyVerificationByVerificationCode"),
        "verify_verification_by_verification_code"
    );
    assert!(path_matches(
        "/api/my-account/identities/{target}",
        "/api/my-account/identities/github"
    ));
    assert!(!path_matches(
        "/api/my-account/identities/{target}",
        "/api/my-account/identities"
    ));

    let facade = facade_operations(&[syn::parse_quote! {
        impl AccountClient {
            pub async fn change(&self) { self.helper().await }
            async fn helper(&self) {
                self
                    .send(self
                        .api()
                        .update_password(None, &body))
                    .await
            }
            pub async fn upload(&self) { self.send_built(request, "upload_account_avatar", &[]).await }
            pub async fn nothing(&self) { let text = "self.api().delete_identity("; }
        }
    }]);
    let names = |method: &str| facade[method].iter().cloned().collect::<Vec<_>>();
    assert_eq!(names("change"), ["update_password"]);
    assert_eq!(names("upload"), ["upload_account_avatar"]);
    assert!(
        names("nothing").is_empty(),
        "text in a string is not a call"
    );

    let tests = test_calls(&[syn::parse_quote! {
        fn t() {
            request(
                when,
                PATCH,
                "/api/x/y/name",
            );
            // request(when, GET, "/commented/out")
            let _ = "request(when, DELETE, \"/in/a/string\")";
            client.change().await;
            assert!(!client.upload().await.is_ok(), "{}", 1);
        }
    }]);
    assert_eq!(
        tests.requests,
        [("PATCH".to_owned(), "/api/x/y/name".to_owned())]
    );
    assert!(tests.methods.contains("change"));
    assert!(
        tests.methods.contains("upload"),
        "calls inside assert! count"
    );
}
