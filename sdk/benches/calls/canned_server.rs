//! Logto 1.42.0's answers to the benchmarked calls (and the 304 of a
//! conditional read), canned, served over
//! HTTP/1.1 on loopback from a child process, so that the benchmark's CPU
//! figures count the clients only.
//!
//! The answers are byte-for-byte what Logto sends (facts §6a, §13): status,
//! Koa's and helmet's headers, `Logto-Core-Request-Id` (new on every
//! response), a strong `ETag` on JSON bodies and the account body. A request
//! that is not exactly one of these gets Logto's 401 or 404, or a plain
//! 400 naming the mismatch, so that a client sending something else fails
//! the run instead of being measured.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The access token both clients send.
pub const ACCESS_TOKEN: &str = "bench-opaque-token-2bq7m1x9r4kd0wz8";

/// The verification record id of the password change.
pub const VERIFICATION_RECORD_ID: &str = "t0czpmpa7nnr3qu5ymsqk";

/// The name the profile update sets.
pub const NEW_NAME: &str = "Ada Lovelace";

/// The password the password change sets.
pub const NEW_PASSWORD: &str = "correct horse battery staple";

/// The account as `GET /api/my-account` returns it for a token with the
/// default scopes, keys in Logto's order (facts, "Account body").
const ACCOUNT: &str = r#"{"id":"n25n9482fsgh","username":"ada","primaryEmail":"ada@example.com","primaryPhone":null,"name":"Ada Lovelace","avatar":null,"customData":{},"identities":{},"lastSignInAt":1795637778000,"createdAt":1795630000000,"updatedAt":1795637778000,"profile":{},"applicationId":"ml0ovr4zntlzzt9m0b5fh","cimdClientId":null,"isSuspended":false,"hasPassword":true,"hasSecurityVerificationMethod":true}"#;

/// The same account after the name update: only `updatedAt` moves.
const UPDATED_ACCOUNT: &str = r#"{"id":"n25n9482fsgh","username":"ada","primaryEmail":"ada@example.com","primaryPhone":null,"name":"Ada Lovelace","avatar":null,"customData":{},"identities":{},"lastSignInAt":1795637778000,"createdAt":1795630000000,"updatedAt":1795637790000,"profile":{},"applicationId":"ml0ovr4zntlzzt9m0b5fh","cimdClientId":null,"isSuspended":false,"hasPassword":true,"hasSecurityVerificationMethod":true}"#;

/// The `ETag` of [`ACCOUNT`]: koa-etag's `"<hex length>-<base64 sha1>"`,
/// the hash part canned (clients treat it as opaque).
pub fn account_etag() -> String {
    format!("\"{:x}-xRovKVkXkaN3TZ/rFbdHyRgB0nc\"", ACCOUNT.len())
}

/// Logto's 401 for a token it does not accept.
const UNAUTHORIZED: &str = r#"{"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}"#;

/// Helmet's headers as Logto configures them for `/api`, and the account
/// routes' CORS headers; on every response.
const COMMON_HEADERS: &str = "Access-Control-Allow-Origin: *\r\n\
Access-Control-Expose-Headers: *\r\n\
Cross-Origin-Resource-Policy: same-origin\r\n\
Origin-Agent-Cluster: ?1\r\n\
Referrer-Policy: strict-origin-when-cross-origin\r\n\
Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n\
X-Content-Type-Options: nosniff\r\n\
X-Download-Options: noopen\r\n\
X-Frame-Options: SAMEORIGIN\r\n\
X-Permitted-Cross-Domain-Policies: none\r\n\
X-XSS-Protection: 0\r\n";

/// Runs the server until standard input closes (the parent exited or
/// dropped it), printing `127.0.0.1:<port>` and where it runs on the first
/// line of stdout.
pub fn serve() -> io::Result<()> {
    let placement = crate::placement::take(crate::placement::Role::Server);
    // The parent closing our stdin is the stop signal, even if it crashed.
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        println!("{} {placement}", listener.local_addr()?);
        let answers = Arc::new(Answers::new());
        loop {
            let (stream, _) = listener.accept().await?;
            let answers = Arc::clone(&answers);
            tokio::spawn(async move {
                if let Err(error) = connection(stream, &answers).await {
                    eprintln!("canned server: connection failed: {error}");
                }
            });
        }
    })
}

/// The canned responses, split around the request id that differs each time.
struct Answers {
    account: Canned,
    not_modified: Canned,
    account_etag: String,
    updated_account: Canned,
    password_changed: Canned,
    unauthorized: Canned,
    not_found: Canned,
    request_ids: AtomicU64,
}

/// One response: everything before the request id's value, and after it.
struct Canned {
    before_id: Vec<u8>,
    after_id: Vec<u8>,
}

impl Canned {
    fn new(status: &str, headers: &str, date: &str, body: &str) -> Canned {
        Canned {
            before_id: format!(
                "HTTP/1.1 {status}\r\n{headers}{COMMON_HEADERS}Logto-Core-Request-Id: "
            )
            .into_bytes(),
            after_id: format!(
                "\r\nDate: {date}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n{body}"
            )
            .into_bytes(),
        }
    }

    fn json(status: &str, date: &str, body: &str, etag: bool) -> Canned {
        // koa-etag tags every 2xx body, whatever the method:
        // `"<hex length>-<base64 sha1>"`. The hash part is canned: clients
        // treat it as opaque.
        let etag = if etag {
            format!("ETag: \"{:x}-xRovKVkXkaN3TZ/rFbdHyRgB0nc\"\r\n", body.len())
        } else {
            String::new()
        };
        let headers = format!(
            "Vary: Accept-Encoding, Origin\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n{etag}",
            body.len()
        );
        Canned::new(status, &headers, date, body)
    }
}

impl Answers {
    fn new() -> Answers {
        // Node stamps `Date` each second; a fixed one costs the server less
        // and changes nothing for a client.
        let date = chrono::Utc::now()
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        Answers {
            account: Canned::json("200 OK", &date, ACCOUNT, true),
            // Facts 6b: the ETag and the request id, no content headers.
            not_modified: Canned::new(
                "304 Not Modified",
                &format!(
                    "Vary: Accept-Encoding, Origin\r\nETag: {}\r\n",
                    account_etag()
                ),
                &date,
                "",
            ),
            account_etag: account_etag(),
            updated_account: Canned::json("200 OK", &date, UPDATED_ACCOUNT, true),
            // Koa drops Content-Type and Content-Length on a 204.
            password_changed: Canned::new("204 No Content", "Vary: Origin\r\n", &date, ""),
            unauthorized: Canned::json("401 Unauthorized", &date, UNAUTHORIZED, false),
            not_found: Canned::new(
                "404 Not Found",
                "Vary: Origin\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n",
                &date,
                "Not Found",
            ),
            request_ids: AtomicU64::new(0x9e37_79b9_7f4a_7c15),
        }
    }

    /// Writes the answer to `request` into `reply`.
    fn answer(&self, request: &Incoming, body: &[u8], reply: &mut Vec<u8>) {
        reply.clear();
        let canned = match self.choose(request, body) {
            Ok(canned) => canned,
            Err(mismatch) => {
                eprintln!("canned server: {mismatch}");
                let text = format!(
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{mismatch}",
                    mismatch.len()
                );
                reply.extend_from_slice(text.as_bytes());
                return;
            }
        };
        reply.extend_from_slice(&canned.before_id);
        reply.extend_from_slice(&self.request_id());
        reply.extend_from_slice(&canned.after_id);
    }

    fn choose(&self, request: &Incoming, body: &[u8]) -> Result<&Canned, String> {
        let known = matches!(
            (request.method, request.path),
            (Method::Get | Method::Patch, Path::Account) | (Method::Post, Path::Password)
        );
        if !known {
            return Ok(&self.not_found);
        }
        if !request.authorized {
            return Ok(&self.unauthorized);
        }
        match request.method {
            Method::Get => Ok(match &request.if_none_match {
                Some(tag) if self.matches(tag) => &self.not_modified,
                _ => &self.account,
            }),
            Method::Patch => {
                let expected = format!(r#"{{"name":"{NEW_NAME}"}}"#);
                if body == expected.as_bytes() {
                    Ok(&self.updated_account)
                } else {
                    Err(format!(
                        "unexpected PATCH body {}",
                        String::from_utf8_lossy(body)
                    ))
                }
            }
            Method::Post => {
                let expected = format!(r#"{{"password":"{NEW_PASSWORD}"}}"#);
                if !request.verified {
                    Err("password change without the verification header".to_owned())
                } else if body != expected.as_bytes() {
                    Err("unexpected password change body".to_owned())
                } else {
                    Ok(&self.password_changed)
                }
            }
            Method::Other => Ok(&self.not_found),
        }
    }

    /// Whether `If-None-Match` names the account: weak comparison, `*`
    /// matches anything, as Logto compares (facts 6b).
    fn matches(&self, if_none_match: &str) -> bool {
        if_none_match
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == self.account_etag)
    }

    /// 16 letters and digits, new on every response, like Logto's.
    fn request_id(&self) -> [u8; 16] {
        const ALPHABET: &[u8; 62] =
            b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        // splitmix64 over a counter: distinct, cheap, random-looking.
        let mut state = self
            .request_ids
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
        state = (state ^ (state >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        state = (state ^ (state >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        state ^= state >> 31;
        let mut id = [0u8; 16];
        for slot in &mut id {
            *slot = ALPHABET[(state % 62) as usize];
            state = (state / 62).wrapping_add(state.rotate_left(17));
        }
        id
    }
}

#[derive(Clone, Copy)]
enum Method {
    Get,
    Patch,
    Post,
    Other,
}

#[derive(Clone, Copy, PartialEq)]
enum Path {
    Account,
    Password,
    Other,
}

/// What the server needs of a request head.
struct Incoming {
    method: Method,
    path: Path,
    authorized: bool,
    verified: bool,
    content_length: usize,
    if_none_match: Option<String>,
}

/// Parses a complete request head at the start of `buffer`: `Ok(None)`
/// while it is incomplete, else the head's length and what it says.
fn parse_head(buffer: &[u8]) -> io::Result<Option<(usize, Incoming)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(buffer) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
    };
    let method = match request.method {
        Some("GET") => Method::Get,
        Some("PATCH") => Method::Patch,
        Some("POST") => Method::Post,
        _ => Method::Other,
    };
    let path = match request.path {
        Some("/api/my-account") => Path::Account,
        Some("/api/my-account/password") => Path::Password,
        _ => Path::Other,
    };
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let mut incoming = Incoming {
        method,
        path,
        authorized: false,
        verified: false,
        content_length: 0,
        if_none_match: None,
    };
    for header in request.headers.iter() {
        if header.name.eq_ignore_ascii_case("authorization") {
            incoming.authorized = header.value == bearer.as_bytes();
        } else if header.name.eq_ignore_ascii_case("logto-verification-id") {
            incoming.verified = header.value == VERIFICATION_RECORD_ID.as_bytes();
        } else if header.name.eq_ignore_ascii_case("if-none-match") {
            incoming.if_none_match = Some(String::from_utf8_lossy(header.value).into_owned());
        } else if header.name.eq_ignore_ascii_case("content-length") {
            incoming.content_length = std::str::from_utf8(header.value)
                .ok()
                .and_then(|value| value.trim().parse().ok())
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad content-length"))?;
        }
    }
    Ok(Some((length, incoming)))
}

/// Answers requests on one keep-alive connection until the client closes it.
async fn connection(mut stream: TcpStream, answers: &Answers) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(8 * 1024);
    let mut reply = Vec::with_capacity(2 * 1024);
    loop {
        let (head_length, request) = loop {
            if let Some(parsed) = parse_head(&buffer)? {
                break parsed;
            }
            if !read_more(&mut stream, &mut buffer).await? {
                return Ok(());
            }
        };
        let end = head_length + request.content_length;
        while buffer.len() < end {
            if !read_more(&mut stream, &mut buffer).await? {
                return Ok(());
            }
        }
        answers.answer(&request, &buffer[head_length..end], &mut reply);
        stream.write_all(&reply).await?;
        buffer.drain(..end);
    }
}

/// Reads what the socket has into `buffer`; `false` at end of stream.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 4096];
    let read = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..read]);
    Ok(read > 0)
}

/// The server, running in a child process of this benchmark.
pub struct ServerProcess {
    child: std::process::Child,
    base_url: String,
    placement: String,
}

impl ServerProcess {
    /// Starts this executable again with `--canned-server` and waits for its
    /// address.
    pub fn start() -> io::Result<ServerProcess> {
        use std::io::BufRead;
        use std::process::{Command, Stdio};

        let mut child = Command::new(std::env::current_exe()?)
            .arg("--canned-server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut address = String::new();
        if let Some(stdout) = child.stdout.take() {
            io::BufReader::new(stdout).read_line(&mut address)?;
        }
        let (address, placement) = address
            .trim()
            .split_once(' ')
            .unwrap_or((address.trim(), ""));
        if address.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the canned server printed no address"));
        }
        Ok(ServerProcess {
            base_url: format!("http://{address}"),
            placement: placement.to_owned(),
            child,
        })
    }

    /// Where the server runs.
    pub fn placement(&self) -> &str {
        &self.placement
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Closing its stdin stops it; wait so that no zombie is left.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
