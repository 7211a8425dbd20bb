//! Another service that trusts Roster's access tokens without calling Roster per request:
//! `GET /invoices` only for a token that grants `invoices:read` in its organization (a member
//! with the tag `invoices:*` or `invoices:read`, who asked Roster's token endpoint for a token
//! with `organization` set). `RemoteKeys` fetches Roster's public keys and keeps them fresh
//! across key rotations.
//!
//! ```sh
//! cargo run -p roster-auth --features actix,jwks-fetch --example guarded_service -- \
//!     http://127.0.0.1:8080 127.0.0.1:8090
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8090/invoices
//! ```

use actix_web::{dev::Server, web, App, HttpResponse, HttpServer};
use roster_auth::{PermissionDenied, RemoteKeys, RosterClaims};

async fn invoices(claims: RosterClaims) -> Result<HttpResponse, PermissionDenied> {
    claims.require("invoices:read")?;
    let body = serde_json::json!({"organization_id": claims.org_id, "user_id": claims.sub, "invoices": []});
    Ok(HttpResponse::Ok().json(body))
}

pub fn serve(listener: std::net::TcpListener, keys: RemoteKeys) -> std::io::Result<Server> {
    let keys = web::Data::new(keys);
    let app = move || {
        App::new()
            .app_data(keys.clone())
            .route("/invoices", web::get().to(invoices))
    };
    Ok(HttpServer::new(app).workers(1).listen(listener)?.run())
}

#[allow(dead_code)] // the end-to-end test runs `serve` itself
fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let roster = args.get(1).map_or("http://127.0.0.1:8080", String::as_str);
    let listen = args.get(2).map_or("127.0.0.1:8090", String::as_str);
    // The issuer is Roster's --issuer (`roster` unless set).
    let keys = RemoteKeys::fetch(roster, "roster").map_err(std::io::Error::other)?;
    let listener = std::net::TcpListener::bind(listen)?;
    actix_web::rt::System::new().block_on(serve(listener, keys)?)
}
