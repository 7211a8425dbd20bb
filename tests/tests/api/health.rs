use roster_tests::{backend_tests, TestApp};

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
    let res = roster_tests::client::send(
        app.client
            .request("GET", "/healthz", None)
            .set("X-Request-Id", "trace-me-42")
            .call(),
    );
    assert_eq!(res.header("x-request-id"), Some("trace-me-42"));
}

fn unknown_routes_are_problem_404s(app: &TestApp) {
    let res = app.client.get("/v1/nothing-here", None);
    assert_eq!(res.status, 404);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["type"], "https://roster.dev/problems/not-found");
    assert_eq!(res.body["status"], 404);
}

backend_tests!(
    healthz_and_readyz_answer_with_a_request_id,
    a_client_request_id_is_echoed,
    unknown_routes_are_problem_404s
);
