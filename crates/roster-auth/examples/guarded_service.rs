//! Another service that trusts Roster's access tokens, without calling Roster per request.
//!
//! It fetches Roster's public keys from `/.well-known/jwks.json` (again every minute, so a
//! rotated signing key is picked up), verifies each request's bearer token offline, and serves
//! `GET /invoices` only to tokens that grant a permission in their organization. Users get
//! such a token from Roster's token endpoint with `organization` set, e.g. with a tag
//! `invoices:*` or `invoices:read` on their membership.
//!
//! ```sh
//! cargo run -p roster-auth --features actix --example guarded_service -- \
//!     http://127.0.0.1:8080 invoices:read 127.0.0.1:8090
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8090/invoices
//! ```
//!
//! The issuer it checks is Roster's `--issuer` (default `roster`).

use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{web, App, HttpResponse, HttpServer};
use roster_auth::{PermissionDenied, RosterClaims, SharedVerifier, TokenVerifier};
use serde_json::json;

/// The permission the guarded route needs.
struct Needed(String);

/// `GET /invoices`: only for a token that grants the permission.
async fn invoices(
    claims: RosterClaims,
    needed: web::Data<Needed>,
) -> Result<HttpResponse, PermissionDenied> {
    claims.require(&needed.0)?;
    Ok(HttpResponse::Ok().json(json!({
        "organization_id": claims.org_id,
        "user_id": claims.sub,
        "invoices": [],
    })))
}

/// Fetches and parses Roster's JWKS.
pub fn fetch_keys(roster: &str, issuer: &str) -> Result<TokenVerifier, String> {
    let url = format!("{}/.well-known/jwks.json", roster.trim_end_matches('/'));
    let body = ureq::get(&url)
        .timeout(Duration::from_secs(10))
        .call()
        .map_err(|e| format!("fetching {url}: {e}"))?
        .into_string()
        .map_err(|e| format!("reading {url}: {e}"))?;
    TokenVerifier::from_jwks_json(issuer, &body).map_err(|e| e.to_string())
}

/// Fetches the keys now, then every `every` in the background.
pub fn keep_keys_fresh(
    roster: &str,
    issuer: &str,
    every: Duration,
) -> Result<SharedVerifier, String> {
    let shared = SharedVerifier::new(fetch_keys(roster, issuer)?);
    let (refreshed, roster, issuer) = (shared.clone(), roster.to_owned(), issuer.to_owned());
    std::thread::spawn(move || loop {
        std::thread::sleep(every);
        match fetch_keys(&roster, &issuer) {
            Ok(verifier) => refreshed.replace(verifier),
            Err(error) => eprintln!("keeping the old keys: {error}"),
        }
    });
    Ok(shared)
}

/// The service, on `listener`, guarding `/invoices` with `permission`.
pub fn serve(
    listener: std::net::TcpListener,
    verifier: SharedVerifier,
    permission: &str,
) -> std::io::Result<Server> {
    let verifier = web::Data::new(verifier);
    let needed = web::Data::new(Needed(permission.to_owned()));
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(verifier.clone())
            .app_data(needed.clone())
            .route("/invoices", web::get().to(invoices))
    })
    .workers(1)
    .listen(listener)?
    .run())
}

#[allow(dead_code)] // the end-to-end test runs `serve` itself
fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let roster = args.get(1).map_or("http://127.0.0.1:8080", String::as_str);
    let permission = args.get(2).map_or("invoices:read", String::as_str);
    let listen = args.get(3).map_or("127.0.0.1:8090", String::as_str);
    let issuer = std::env::var("ROSTER_ISSUER").unwrap_or_else(|_| "roster".to_owned());
    let verifier =
        keep_keys_fresh(roster, &issuer, Duration::from_secs(60)).map_err(std::io::Error::other)?;
    let listener = std::net::TcpListener::bind(listen)?;
    println!("guarding http://{listen}/invoices with {permission} (keys from {roster})");
    actix_web::rt::System::new().block_on(serve(listener, verifier, permission)?)
}
