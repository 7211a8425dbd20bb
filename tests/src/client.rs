//! A small blocking HTTP client that never follows redirects and treats every status as a
//! response (tests assert on 4xx and 3xx as much as on 2xx).

use std::time::Duration;

use serde_json::Value;

pub struct Client {
    base: String,
    agent: ureq::Agent,
}

/// A response: status, headers (lowercase names) and the body parsed as JSON (`Null` if empty
/// or not JSON; the raw text is kept too).
#[derive(Debug, Clone)]
pub struct Res {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `field` of each entry in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::AgentBuilder::new()
            .redirects(0)
            .timeout(Duration::from_secs(30))
            .build();
        Client {
            base: base.to_owned(),
            agent,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to adjust before sending (extra headers, other methods).
    pub fn request(&self, method: &str, path: &str, token: Option<&str>) -> ureq::Request {
        let request = self.agent.request(method, &self.url(path));
        match token {
            Some(token) => request.set("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Res {
        send(self.request("GET", path, token).call())
    }

    pub fn delete(&self, path: &str, token: Option<&str>) -> Res {
        send(self.request("DELETE", path, token).call())
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        send(self.request("POST", path, token).send_json(body))
    }

    pub fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        send(self.request("PATCH", path, token).send_json(body))
    }

    /// `method path` as `token`, with extra headers and an optional JSON body.
    pub fn send_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Res {
        let mut request = self.request(method, path, token);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        match body {
            Some(body) => send(request.send_json(body)),
            None => send(request.call()),
        }
    }

    /// Sends a raw body with the given content type.
    pub fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &[u8],
    ) -> Res {
        send(
            self.request(method, path, token)
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }
}

/// Turns any outcome into a `Res`; only transport failures panic.
pub fn send(result: Result<ureq::Response, ureq::Error>) -> Res {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|name| {
            response
                .header(&name)
                .map(|v| (name.to_ascii_lowercase(), v.to_owned()))
        })
        .collect();
    let text = response.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Res {
        status,
        headers,
        body,
        text,
    }
}
