//! Rewrites how the generated methods build their requests, where
//! progenitor's code costs work on every call that no setting turns off.
//!
//! - The URL: progenitor formats `"{baseurl}/api/..."` and reqwest parses the
//!   whole string again on every call. The rewrite passes only the path to
//!   `Executor::url`, which extends a base URL parsed once; a path without
//!   parameters gets an index, under which the executor keeps its URL.
//! - The `api-version` header: progenitor sends the spec's `info.version` on
//!   every request. Logto reads no such header, and ours would only say the
//!   version of our spec.
//! - The header map: progenitor collects the header parameters in a map of
//!   their own, allocated with room for every header the operation may
//!   send, which the request builder then merges. The rewrite drops the map
//!   and appends the parameters to the built request's headers.
//! - The locals: progenitor declares the URL, header map, request and
//!   transport result in the method's scope, so the future keeps room for
//!   them while it reads the response. The rewrite puts each in a block that
//!   ends when it is used up; the future is a third smaller, and it is copied
//!   at least once per call.
//! - The hooks: progenitor awaits the client's `pre` and `post` hooks around
//!   every request. The bindings' hooks have nothing to do there (the
//!   `Executor` their `exec` hands the request to does it all), and each
//!   await would give the future one more state, and the request or the
//!   result one more copy. The rewrite calls `exec` alone.
//! - Header values: progenitor formats each through `to_string()` and parses
//!   its name at every call. The rewrite takes the name as a constant and
//!   the value as the `&str` it already is.
//! - The status match: progenitor writes one arm per declared error status,
//!   each with the same body and its own await of the body. The rewrite
//!   joins arms with the same body (`400u16 | 401u16 => ...`): less code on
//!   every call's path, and a smaller future. The body of an error is read
//!   in a boxed future made by a cold function of the bindings
//!   (`error_body::read`): the method's own future then has no room for
//!   that rare read, an operation that answers 204 has a small one, and the
//!   code of the read is not on the method's path.
//! - The success body: progenitor reads it through
//!   `ResponseValue::from_response`, a future of its own (close to a
//!   kilobyte) that is moved into the method's future and copies the
//!   response headers. The rewrite reads the body in the method itself and
//!   moves the headers into the value, or, when the executor says the
//!   caller reads none (`Executor::success_headers`), leaves them to be
//!   dropped before the body is read, as reqwest's `json()` does; a
//!   body-less answer (`empty`) is made the same way.

use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Lit, Pat, Stmt, Token};

/// What [`rewrite`] changed, so that a test can notice when progenitor's
/// output no longer has the shape it looks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewritten {
    /// Methods whose URL is now built from the parsed base.
    pub urls: usize,
    /// `api-version` headers removed.
    pub api_version_headers: usize,
    /// Header maps that now start empty.
    pub header_maps: usize,
    /// Methods whose request-building locals are now scoped.
    pub scoped: usize,
    /// Status match arms joined into an earlier arm with the same body.
    pub joined_arms: usize,
    /// Header appends that no longer format or parse at every call.
    pub headers: usize,
    /// Methods whose header parameters are appended to the built request
    /// instead of through a header map of their own.
    pub headers_after_build: usize,
    /// Error-body reads moved into a boxed future.
    pub boxed_error_reads: usize,
    /// Success answers now read (or, without a body, made) in the method
    /// itself, their headers moved.
    pub success_reads: usize,
    /// Success arms still reading through `from_response` (or `empty`):
    /// progenitor's output no longer has the shape the rewrite looks for.
    pub success_reads_left: usize,
}

/// Rewrites every method of the generated `Client`.
pub fn rewrite(file: &mut syn::File) -> Rewritten {
    let mut rewritten = Rewritten::default();
    let mut static_paths = Vec::new();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for member in &mut block.items {
            let ImplItem::Fn(method) = member else {
                continue;
            };
            let before = method.block.stmts.len();
            method
                .block
                .stmts
                .retain(|stmt| !is_api_version_header(stmt));
            let removed = before - method.block.stmts.len();
            rewritten.api_version_headers += removed;
            for stmt in &mut method.block.stmts {
                if let Some(joined) = joined_url(stmt, &mut static_paths) {
                    *stmt = joined;
                    rewritten.urls += 1;
                } else if let Some(empty) = empty_header_map(stmt) {
                    *stmt = empty;
                    rewritten.header_maps += 1;
                }
            }
            let mut headers = HeaderAppends::default();
            headers.visit_block_mut(&mut method.block);
            rewritten.headers += headers.rewritten;
            if headers_after_build(&mut method.block.stmts) {
                rewritten.headers_after_build += 1;
            }
            if let Some(scoped) = scoped_locals(&method.block.stmts) {
                method.block.stmts = scoped;
                rewritten.scoped += 1;
            }
            if let Some(Stmt::Expr(Expr::Match(status_match), None)) = method.block.stmts.last_mut()
            {
                rewritten.joined_arms += join_same_arms(status_match);
                rewritten.boxed_error_reads += box_error_reads(status_match);
                let (read, left) = inline_success_reads(status_match);
                rewritten.success_reads += read;
                rewritten.success_reads_left += left;
                if read > 0 {
                    // The inlined read takes the response's headers.
                    make_mutable(&mut method.block.stmts, "response");
                }
            }
        }
    }
    let count = static_paths.len();
    file.items.push(syn::parse_quote! {
        /// How many paths without parameters the methods have: each has an
        /// index below this, under which the executor keeps its URL.
        pub(crate) const STATIC_PATH_COUNT: usize = #count;
    });
    rewritten
}

/// `header_map.append(HeaderName::from_static("api-version"), ...);`
fn is_api_version_header(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    call.method == "append"
        && call.receiver.to_token_stream().to_string() == "header_map"
        && call.args.first().is_some_and(|name| {
            name.to_token_stream()
                .to_string()
                .contains("\"api-version\"")
        })
}

/// The expression `stmt` binds to the local `name` (`let [mut] name = ...;`).
fn initializer<'a>(stmt: &'a Stmt, name: &str) -> Option<&'a Expr> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let Pat::Ident(bound) = &local.pat else {
        return None;
    };
    if bound.ident != name {
        return None;
    }
    Some(&*local.init.as_ref()?.expr)
}

/// `let mut header_map = HeaderMap::with_capacity(n);` becomes
/// `let mut header_map = HeaderMap::new();`.
fn empty_header_map(stmt: &Stmt) -> Option<Stmt> {
    let Expr::Call(call) = initializer(stmt, "header_map")? else {
        return None;
    };
    let function = call.func.to_token_stream().to_string();
    function.ends_with("with_capacity").then(|| {
        syn::parse_quote! {
            let mut header_map = ::reqwest::header::HeaderMap::new();
        }
    })
}

/// Progenitor collects the header parameters in a map of their own, then
/// has the request builder merge it (`.headers(header_map)`): a map that
/// allocates as soon as it holds a header, and a merge that walks it. The
/// rewrite builds the request first and appends the parameters to its
/// headers, as a hand-written client would:
/// ```text
/// let mut header_map = HeaderMap::new();
/// <appends to header_map>
/// let mut request = <builder>.headers(header_map).build()?;
/// ```
/// becomes
/// ```text
/// let mut request = <builder>.build()?;
/// let header_map = request.headers_mut();
/// <appends to header_map>
/// ```
/// (the map and its appends go away when there are none). The parameters'
/// names are never the builder's own (`accept`, `content-type`), so
/// appending is the same as the merge. `false` when the method has another
/// shape.
fn headers_after_build(stmts: &mut Vec<Stmt>) -> bool {
    let text = |stmt: &Stmt| stmt.to_token_stream().to_string();
    let Some(map_at) = stmts.iter().position(|stmt| {
        text(stmt) == "let mut header_map = :: reqwest :: header :: HeaderMap :: new () ;"
    }) else {
        return false;
    };
    let Some(request_at) = stmts.iter().position(|stmt| {
        let stmt = text(stmt);
        stmt.contains("let mut request =") && stmt.contains(". headers (header_map)")
    }) else {
        return false;
    };
    if request_at < map_at {
        return false;
    }
    let mut request = stmts[request_at].clone();
    let mut merge = WithoutHeaderMerge::default();
    merge.visit_stmt_mut(&mut request);
    if merge.removed != 1 {
        return false;
    }
    let (appends, others): (Vec<Stmt>, Vec<Stmt>) = stmts[map_at + 1..request_at]
        .iter()
        .cloned()
        .partition(|stmt| text(stmt).contains("header_map"));
    let mut rewritten: Vec<Stmt> = stmts[..map_at].to_vec();
    rewritten.extend(others);
    rewritten.push(request);
    if !appends.is_empty() {
        rewritten.push(syn::parse_quote!(let header_map = request.headers_mut();));
        rewritten.extend(appends);
    }
    rewritten.extend(stmts[request_at + 1..].iter().cloned());
    *stmts = rewritten;
    true
}

/// Removes `.headers(header_map)` from a request builder chain.
#[derive(Default)]
struct WithoutHeaderMerge {
    removed: usize,
}

impl VisitMut for WithoutHeaderMerge {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.to_token_stream().to_string() == "header_map"
        {
            *expr = (*call.receiver).clone();
            self.removed += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Rewrites `header_map.append("Name", x.to_string().try_into()?)` into
/// `header_map.append(<the lower-case name as a constant>, HeaderValue::from_str(x)?)`:
/// every header parameter is a string (or a string newtype, which derefs to
/// one), so nothing is formatted, and the name is checked once, at compile
/// time.
#[derive(Default)]
struct HeaderAppends {
    rewritten: usize,
}

impl VisitMut for HeaderAppends {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "append"
            || call.receiver.to_token_stream().to_string() != "header_map"
            || call.args.len() != 2
        {
            return;
        }
        let (Some(Expr::Lit(name)), Some(value)) = (call.args.first(), call.args.last()) else {
            return;
        };
        let Lit::Str(name) = &name.lit else { return };
        let value_text = value.to_token_stream().to_string();
        let Some(source) = value_text.strip_suffix(" . to_string () . try_into () ?") else {
            return;
        };
        let Ok(source) = syn::parse_str::<Expr>(source) else {
            return;
        };
        let lower = name.value().to_ascii_lowercase();
        *call = syn::parse_quote! {
            header_map.append(
                const { ::reqwest::header::HeaderName::from_static(#lower) },
                ::reqwest::header::HeaderValue::from_str(#source)?,
            )
        };
        self.rewritten += 1;
    }
}

/// Progenitor's
/// ```text
/// <building statements, ending in `let mut request = ...build()?;`>
/// let info = OperationInfo { .. };
/// self.pre(&mut request, &info).await?;
/// let result = self.exec(request, &info).await;
/// self.post(&result, &info).await?;
/// let response = result?;
/// <the rest>
/// ```
/// becomes
/// ```text
/// let info = OperationInfo { .. };
/// let response = {
///     let request = { <building statements> request };
///     self.exec(request, &info)
/// }
/// .await?;
/// <the rest>
/// ```
/// The bindings' hooks do nothing before or after a request (their `exec`
/// hands it to the `Executor`, which does all of it): each await of them
/// would only give the future one more state, with room for the request
/// or the result, and a copy of it.
/// `None` when the method has another shape.
fn scoped_locals(stmts: &[Stmt]) -> Option<Vec<Stmt>> {
    let text = |stmt: &Stmt| stmt.to_token_stream().to_string();
    let info_at = stmts
        .iter()
        .position(|stmt| text(stmt).starts_with("let info = OperationInfo"))?;
    let (building, rest) = stmts.split_at(info_at);
    let [info, pre, exec, post, unwrap, rest @ ..] = rest else {
        return None;
    };
    let expected = [
        (pre, "self . pre (& mut request , & info) . await ? ;"),
        (
            exec,
            "let result = self . exec (request , & info) . await ;",
        ),
        (post, "self . post (& result , & info) . await ? ;"),
        (unwrap, "let response = result ? ;"),
    ];
    if expected.iter().any(|(stmt, shape)| text(stmt) != *shape)
        || !building
            .iter()
            .any(|stmt| text(stmt).contains("let mut request ="))
    {
        return None;
    }
    let mut scoped: Vec<Stmt> = vec![
        info.clone(),
        syn::parse_quote! {
            let response = {
                let request = {
                    #(#building)*
                    request
                };
                self.exec(request, &info)
            }
            .await?;
        },
    ];
    scoped.extend(rest.iter().cloned());
    Some(scoped)
}

/// Joins each arm of `status_match` whose pattern is a literal and whose
/// body is the same as an earlier such arm's into that arm; returns how
/// many it joined. Literal patterns do not overlap, so the order of the
/// others does not matter; the `_` arm keeps its place at the end.
fn join_same_arms(status_match: &mut syn::ExprMatch) -> usize {
    let mut arms: Vec<syn::Arm> = Vec::new();
    let mut joined = 0;
    for arm in status_match.arms.drain(..) {
        let body = arm.body.to_token_stream().to_string();
        let earlier = arms.iter_mut().find(|earlier| {
            is_literal(&earlier.pat) && earlier.body.to_token_stream().to_string() == body
        });
        match earlier {
            Some(earlier) if is_literal(&arm.pat) => {
                let (first, next) = (earlier.pat.clone(), arm.pat);
                earlier.pat = syn::parse_quote!(#first | #next);
                joined += 1;
            }
            _ => arms.push(arm),
        }
    }
    status_match.arms = arms;
    joined
}

/// In each arm of `status_match` that answers `Err(...)`, reads the body in
/// a boxed future; returns how many reads it boxed.
fn box_error_reads(status_match: &mut syn::ExprMatch) -> usize {
    let mut reads = AnswerReads::default();
    for arm in &mut status_match.arms {
        if is_error_arm(&arm.body) {
            reads.visit_expr_mut(&mut arm.body);
        }
    }
    reads.rewritten
}

/// In each arm of `status_match` that does not answer `Err(...)`, reads
/// the body (or makes the body-less value) in the method instead of
/// through `from_response` (or `empty`); returns how many it rewrote and
/// how many arms still call either.
fn inline_success_reads(status_match: &mut syn::ExprMatch) -> (usize, usize) {
    let mut reads = AnswerReads {
        success: true,
        ..AnswerReads::default()
    };
    let mut left = 0;
    for arm in &mut status_match.arms {
        if is_error_arm(&arm.body) {
            continue;
        }
        reads.visit_expr_mut(&mut arm.body);
        let body = arm.body.to_token_stream().to_string();
        if body.contains("from_response") || body.contains("ResponseValue :: empty") {
            left += 1;
        }
    }
    (reads.rewritten, left)
}

/// Makes the local `name` declared among `stmts` mutable.
fn make_mutable(stmts: &mut [Stmt], name: &str) {
    for stmt in stmts {
        if let Stmt::Local(local) = stmt
            && let Pat::Ident(binding) = &mut local.pat
            && binding.ident == name
        {
            binding.mutability = Some(Default::default());
        }
    }
}

/// Whether a status arm's body answers `Err(...)`.
fn is_error_arm(body: &Expr) -> bool {
    let body = body.to_token_stream().to_string();
    body.starts_with("{ Err (") || body.starts_with("Err (")
}

/// Rewrites how a status arm turns the response into its answer.
///
/// In an error arm, `ResponseValue::from_response(response).await` becomes
/// `crate::error_body::read(response).await`: a boxed future made out of
/// line, so that neither it nor the code that makes it is in the method.
///
/// In a success arm (`success`), it becomes a read of the body in place,
/// and `ResponseValue::empty(response)` a value made in place; both move
/// the headers (if the caller reads them) rather than copy them, so the
/// method's `response` must then be mutable (see [`make_mutable`]).
#[derive(Default)]
struct AnswerReads {
    success: bool,
    rewritten: usize,
}

impl VisitMut for AnswerReads {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let text = expr.to_token_stream().to_string();
        let read = text == "ResponseValue :: from_response (response) . await";
        let empty = text == "ResponseValue :: empty (response)";
        *expr = match (self.success, read, empty) {
            (false, true, _) => syn::parse_quote!(crate::error_body::read(response).await),
            (true, true, _) => syn::parse_quote!({
                let status = response.status();
                let headers = self.inner.success_headers(&mut response);
                let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
                match ::serde_json::from_slice(&body) {
                    Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
                    Err(error) => Err(Error::InvalidResponsePayload(body, error)),
                }
            }),
            (true, false, true) => syn::parse_quote!(ResponseValue::new(
                (),
                response.status(),
                self.inner.success_headers(&mut response),
            )),
            _ => return,
        };
        self.rewritten += 1;
    }
}

/// A status literal, or literals joined with `|`.
fn is_literal(pat: &Pat) -> bool {
    match pat {
        Pat::Lit(_) => true,
        Pat::Or(or) => or.cases.iter().all(is_literal),
        _ => false,
    }
}

/// `let url = format!("{}/path/{}", self.baseurl, args..);` becomes
/// `let url = self.inner.url(&self.client, &self.baseurl, <path>)?;`
/// (`static_url` for a path without parameters, with the path's index in
/// `static_paths`, where a new path is added).
fn joined_url(stmt: &Stmt, static_paths: &mut Vec<String>) -> Option<Stmt> {
    let Expr::Macro(format) = initializer(stmt, "url")? else {
        return None;
    };
    if !format.mac.path.is_ident("format") {
        return None;
    }
    let arguments = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(format.mac.tokens.clone())
        .ok()?;
    let mut arguments = arguments.into_iter();
    let Some(Expr::Lit(template)) = arguments.next() else {
        return None;
    };
    let Lit::Str(template) = &template.lit else {
        return None;
    };
    let path_template = template.value().strip_prefix("{}")?.to_owned();
    if arguments.next()?.to_token_stream().to_string() != "self . baseurl" {
        return None;
    }
    let rest: Vec<Expr> = arguments.collect();
    Some(if rest.is_empty() {
        let index = match static_paths.iter().position(|path| *path == path_template) {
            Some(index) => index,
            None => {
                static_paths.push(path_template.clone());
                static_paths.len() - 1
            }
        };
        syn::parse_quote! {
            let url = self.inner.static_url(&self.client, &self.baseurl, #index, #path_template)?;
        }
    } else {
        syn::parse_quote! {
            let url = self.inner.url(&self.client, &self.baseurl, &format!(#path_template, #(#rest),*))?;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_take_the_path_only_and_api_version_is_dropped() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn get(&self, id: &str) -> Result<(), Error<()>> {
                    let url = format!("{}/api/items/{}", self.baseurl, encode_path(&id.to_string()),);
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                    );
                    let other = format!("{}/x", self.baseurl);
                }
                pub async fn list(&self) {
                    let url = format!("{}/api/items", self.baseurl,);
                }
            }
        };
        let rewritten = rewrite(&mut file);
        assert_eq!(
            rewritten,
            Rewritten {
                urls: 2,
                api_version_headers: 1,
                header_maps: 1,
                scoped: 0,
                joined_arms: 0,
                headers: 0,
                headers_after_build: 0,
                boxed_error_reads: 0,
                success_reads: 0,
                success_reads_left: 0,
            }
        );
        let expected: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn get(&self, id: &str) -> Result<(), Error<()>> {
                    let url = self.inner.url(&self.client, &self.baseurl, &format!("/api/items/{}", encode_path(&id.to_string())))?;
                    let mut header_map = ::reqwest::header::HeaderMap::new();
                    let other = format!("{}/x", self.baseurl);
                }
                pub async fn list(&self) {
                    let url = self.inner.static_url(&self.client, &self.baseurl, 0usize, "/api/items")?;
                }
            }
            /// How many paths without parameters the methods have: each has an
            /// index below this, under which the executor keeps its URL.
            pub(crate) const STATIC_PATH_COUNT: usize = 1usize;
        };
        assert_eq!(
            file.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
    }

    #[test]
    fn request_locals_end_before_the_response_is_read() {
        let method: syn::ImplItemFn = syn::parse_quote! {
            pub async fn get(&self) -> Result<(), Error<()>> {
                let url = self.inner.static_url(&self.client, &self.baseurl, "/api/items")?;
                let mut header_map = ::reqwest::header::HeaderMap::new();
                #[allow(unused_mut)]
                let mut request = self.client.get(url).headers(header_map).build()?;
                let info = OperationInfo { operation_id: "get" };
                self.pre(&mut request, &info).await?;
                let result = self.exec(request, &info).await;
                self.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    200u16 => Ok(ResponseValue::empty(response)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        };
        let scoped = scoped_locals(&method.block.stmts).unwrap();
        let expected: syn::Block = syn::parse_quote! {{
            let info = OperationInfo { operation_id: "get" };
            let response = {
                let request = {
                    let url = self.inner.static_url(&self.client, &self.baseurl, "/api/items")?;
                    let mut header_map = ::reqwest::header::HeaderMap::new();
                    #[allow(unused_mut)]
                    let mut request = self.client.get(url).headers(header_map).build()?;
                    request
                };
                self.exec(request, &info)
            }
            .await?;
            match response.status().as_u16() {
                200u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }};
        let expected = &expected.stmts;
        assert_eq!(
            quote::quote!(#(#scoped)*).to_string(),
            quote::quote!(#(#expected)*).to_string()
        );

        // Any other shape is left alone.
        let mut other = method.block.stmts.clone();
        other.swap(4, 5);
        assert!(scoped_locals(&other).is_none());
    }

    #[test]
    fn status_arms_with_the_same_body_are_joined_and_error_reads_boxed() {
        let mut status_match: syn::ExprMatch = syn::parse_quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                }
                401u16 => {
                    Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                }
                204u16 => Ok(ResponseValue::empty(response)),
                403u16 => {
                    Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        assert_eq!(join_same_arms(&mut status_match), 2);
        assert_eq!(box_error_reads(&mut status_match), 1);
        let expected: syn::ExprMatch = syn::parse_quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 | 401u16 | 403u16 => {
                    Err(Error::ErrorResponse(crate::error_body::read(response).await?))
                }
                204u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        // rustfmt puts a comma after the last argument of the expectation.
        let expected = expected.to_token_stream().to_string().replace("? ,)", "?)");
        assert_eq!(status_match.to_token_stream().to_string(), expected);
    }

    #[test]
    fn success_bodies_are_read_in_the_method_and_error_reads_are_left() {
        let mut status_match: syn::ExprMatch = syn::parse_quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                204u16 => Ok(ResponseValue::empty(response)),
                400u16 => {
                    Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        assert_eq!(inline_success_reads(&mut status_match), (2, 0));
        let expected: syn::ExprMatch = syn::parse_quote! {
            match response.status().as_u16() {
                200u16 => {
                    let status = response.status();
                    let headers = self.inner.success_headers(&mut response);
                    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
                    match ::serde_json::from_slice(&body) {
                        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
                        Err(error) => Err(Error::InvalidResponsePayload(body, error)),
                    }
                }
                204u16 => Ok(ResponseValue::new(
                    (),
                    response.status(),
                    self.inner.success_headers(&mut response),
                )),
                400u16 => {
                    Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        // The rewrite leaves a comma after the block arm; rustfmt does not.
        assert_eq!(
            status_match
                .to_token_stream()
                .to_string()
                .replace("} } ,", "} }"),
            expected.to_token_stream().to_string()
        );

        // A read of another shape is left, and counted as left.
        let mut status_match: syn::ExprMatch = syn::parse_quote! {
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response::<T>(response).await,
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        assert_eq!(inline_success_reads(&mut status_match), (0, 1));

        let mut stmts = vec![
            syn::parse_quote!(let response = { result? };),
            syn::parse_quote!(let other = 1;),
        ];
        make_mutable(&mut stmts, "response");
        let text: Vec<String> = stmts
            .iter()
            .map(|s| s.to_token_stream().to_string())
            .collect();
        assert_eq!(
            text,
            ["let mut response = { result ? } ;", "let other = 1 ;"]
        );
    }

    #[test]
    fn header_parameters_are_appended_to_the_built_request() {
        let mut block: syn::Block = syn::parse_quote! {{
            let url = self.inner.static_url(&self.client, &self.baseurl, 0usize, "/p")?;
            let mut header_map = ::reqwest::header::HeaderMap::new();
            if let Some(value) = id {
                header_map.append(NAME, ::reqwest::header::HeaderValue::from_str(value)?);
            }
            let other = 1;
            #[allow(unused_mut)]
            let mut request = self.client.post(url).json(&body).headers(header_map).build()?;
            let info = 2;
        }};
        assert!(headers_after_build(&mut block.stmts));
        let expected: syn::Block = syn::parse_quote! {{
            let url = self.inner.static_url(&self.client, &self.baseurl, 0usize, "/p")?;
            let other = 1;
            #[allow(unused_mut)]
            let mut request = self.client.post(url).json(&body).build()?;
            let header_map = request.headers_mut();
            if let Some(value) = id {
                header_map.append(NAME, ::reqwest::header::HeaderValue::from_str(value)?);
            }
            let info = 2;
        }};
        assert_eq!(
            block.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );

        // No header parameters: no map at all.
        let mut block: syn::Block = syn::parse_quote! {{
            let mut header_map = ::reqwest::header::HeaderMap::new();
            let mut request = self.client.get(url).headers(header_map).build()?;
        }};
        assert!(headers_after_build(&mut block.stmts));
        let expected: syn::Block = syn::parse_quote! {{
            let mut request = self.client.get(url).build()?;
        }};
        assert_eq!(
            block.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );

        // Another shape is left as it is.
        let mut block: syn::Block = syn::parse_quote! {{
            let mut request = self.client.get(url).headers(header_map).build()?;
            let mut header_map = ::reqwest::header::HeaderMap::new();
        }};
        let before = block.to_token_stream().to_string();
        assert!(!headers_after_build(&mut block.stmts));
        assert_eq!(block.to_token_stream().to_string(), before);
    }

    #[test]
    fn header_values_are_not_formatted_and_names_are_constants() {
        let mut block: syn::Block = syn::parse_quote! {{
            let mut header_map = ::reqwest::header::HeaderMap::new();
            if let Some(value) = if_none_match {
                header_map.append("If-None-Match", value.to_string().try_into()?);
            }
            header_map.append("logto-verification-id", record_id.to_string().try_into()?);
        }};
        let mut headers = HeaderAppends::default();
        headers.visit_block_mut(&mut block);
        assert_eq!(headers.rewritten, 2);
        let expected: syn::Block = syn::parse_quote! {{
            let mut header_map = ::reqwest::header::HeaderMap::new();
            if let Some(value) = if_none_match {
                header_map.append(
                    const { ::reqwest::header::HeaderName::from_static("if-none-match") },
                    ::reqwest::header::HeaderValue::from_str(value)?,
                );
            }
            header_map.append(
                const { ::reqwest::header::HeaderName::from_static("logto-verification-id") },
                ::reqwest::header::HeaderValue::from_str(record_id)?,
            );
        }};
        assert_eq!(
            block.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
    }
}
