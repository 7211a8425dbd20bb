use roster_tests::problem::assert_problem;
use roster_tests::{backend_tests, with_flags, Client, TestApp};

fn healthz_and_readyz_answer_with_a_request_id(app: &TestApp) {
    let health = app.client.get("/healthz", None);
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "ok");
    assert!(health
        .header("x-request-id")
        .is_some_and(|id| !id.is_empty()));

    let ready = app.client.get("/readyz", None);
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["status"], "ready");
}

fn a_client_request_id_is_echoed(app: &TestApp) {
    let res = app.client.send_with(
        "GET",
        "/healthz",
        None,
        &[("X-Request-Id", "trace-me-42")],
        None,
    );
    assert_eq!(res.header("x-request-id"), Some("trace-me-42"));
}

fn unknown_routes_are_problem_404s(app: &TestApp) {
    let res = app.client.get("/v1/nothing-here", None);
    assert_problem(&res, 404, "not-found");
}

/// Metrics live on the management listener only: the API listener answers 404 for them and
/// keeps `/healthz` and `/readyz` for load balancers; both listeners serve health.
#[test]
fn metrics_are_served_on_the_management_listener_only() {
    with_flags(&["--management-listen", "127.0.0.1:0"], |app| {
        let management = Client::new(app.management.as_deref().expect("a management listener"));
        let ada = app.sign_up("ada");
        let org = app.create_org(&ada, "acme");
        let id = org["id"].as_str().unwrap();
        assert_eq!(
            app.client
                .get(&format!("/v1/organizations/{id}"), Some(&ada.token))
                .status,
            200
        );
        assert_eq!(
            app.client
                .get("/v1/organizations/nope", Some(&ada.token))
                .status,
            404
        );
        assert_problem(&app.client.get("/metrics", None), 404, "not-found");

        let metrics = management.get("/metrics", None);
        assert_eq!(metrics.status, 200);
        assert!(metrics
            .header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text"));
        let text = &metrics.text;
        let series = |status: u16| {
            format!("roster_http_requests_total{{method=\"GET\",route=\"/v1/organizations/{{org}}\",status=\"{status}\"}} 1")
        };
        assert!(text.contains(&series(200)), "{text}");
        assert!(text.contains(&series(404)), "{text}");
        assert!(!text.contains(id), "raw ids never become labels");
        assert!(text.contains("roster_http_request_duration_seconds_bucket"));
        assert!(text.contains("roster_db_pool_connections"));
        for path in ["/healthz", "/readyz"] {
            assert_eq!(management.get(path, None).status, 200, "{path}");
            assert_eq!(app.client.get(path, None).status, 200, "{path}");
        }
        assert_problem(&management.get("/v1/organizations", None), 404, "not-found");
    });
}

/// Without `--management-listen` there is no management listener, and no metrics anywhere.
fn no_management_listener_unless_asked(app: &TestApp) {
    assert!(app.management.is_none());
    assert_problem(&app.client.get("/metrics", None), 404, "not-found");
}

fn a_known_path_with_another_method_is_405_with_allow(app: &TestApp) {
    let res = app
        .client
        .send_raw("PUT", "/v1/users/me", None, "application/json", b"{}");
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow"), Some("GET, PATCH, DELETE"));
    assert_eq!(
        res.body["type"],
        "https://roster.dev/problems/method-not-allowed"
    );
    let res = app.client.send_raw(
        "PUT",
        "/v1/organizations/acme",
        None,
        "application/json",
        b"{}",
    );
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow"), Some("GET, PATCH, DELETE"));
}

backend_tests!(
    a_known_path_with_another_method_is_405_with_allow,
    no_management_listener_unless_asked,
    healthz_and_readyz_answer_with_a_request_id,
    a_client_request_id_is_echoed,
    unknown_routes_are_problem_404s
);
