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

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        send(self.request("PUT", path, token).send_json(body))
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

/// Sends `request` (a whole HTTP/1.1 request, as bytes) over a fresh connection to `base` and
/// returns the status and everything the server sent until it closed the connection. For
/// requests a well-behaved client cannot make: unusual spellings of a path, bodies that stall.
pub fn raw_exchange(base: &str, request: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    stream.write_all(request).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A whole `method path` request with a JSON body and extra header lines, closing the
/// connection after the answer, for [`raw_exchange`].
pub fn raw_json_request(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    request.into_bytes()
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
