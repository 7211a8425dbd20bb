//! A real SMTP server for the tests: `tests/support/smtp_sink.py` (Python's aiosmtpd) on a free
//! loopback port, started per test. Roster sends to it over SMTP like to any server; the tests
//! read what arrived and follow the links' tokens.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    /// The token of the first link in the message (`…?token=<token>`).
    pub fn token(&self) -> String {
        let start = self
            .text
            .find("token=")
            .unwrap_or_else(|| panic!("no link with a token in: {}", self.text))
            + "token=".len();
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    }

    /// The first link in the message.
    pub fn link(&self) -> String {
        let start = self
            .text
            .find("http")
            .unwrap_or_else(|| panic!("no link in: {}", self.text));
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The running server and the folder it writes to.
pub struct MailSink {
    child: Child,
    folder: PathBuf,
    pub port: u16,
}

impl MailSink {
    pub fn start() -> MailSink {
        let folder = std::env::temp_dir().join(format!("roster-smtp-{}", uuid::Uuid::now_v7()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg("--dir")
            .arg(&folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the SMTP sink");
        let stdout = child.stdout.take().expect("the sink's stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the sink says it is ready");
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!(
                    "the SMTP sink did not start (is aiosmtpd installed? `pip install aiosmtpd`): {line:?}"
                )
            });
        MailSink {
            child,
            folder,
            port,
        }
    }

    /// The URL Roster sends to (plain SMTP: the sink has no certificate).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every message received so far, in arrival order.
    pub fn all(&self) -> Vec<Mail> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .filter(|p| {
                        !p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
            .iter()
            .map(|path| {
                let raw: Value =
                    serde_json::from_str(&std::fs::read_to_string(path).expect("a message"))
                        .expect("a message's JSON");
                let text = |key: &str| raw[key].as_str().unwrap_or_default().to_owned();
                Mail {
                    to: raw["to"]
                        .as_array()
                        .map(|to| {
                            to.iter()
                                .filter_map(|t| t.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    from: text("from"),
                    subject: text("subject"),
                    message_id: text("message_id"),
                    text: text("text"),
                    html: text("html"),
                }
            })
            .collect()
    }

    /// The messages to `address` so far.
    pub fn to(&self, address: &str) -> Vec<Mail> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits (up to 15 s) until `count` messages to `address` have arrived; returns them all.
    pub fn wait_for_count(&self, address: &str, count: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let arrived = self.to(address);
            if arrived.len() >= count {
                return arrived;
            }
            assert!(
                Instant::now() < deadline,
                "{count} message(s) to {address} expected, {} arrived: {:?}",
                arrived.len(),
                arrived.iter().map(|m| &m.subject).collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The newest message to `address` whose subject contains `subject`, waiting up to 15 s.
    pub fn wait_for(&self, address: &str, subject: &str) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(mail) = self
                .to(address)
                .into_iter()
                .rev()
                .find(|m| m.subject.contains(subject))
            {
                return mail;
            }
            assert!(
                Instant::now() < deadline,
                "no message to {address} about {subject:?}; arrived: {:?}",
                self.all()
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Makes the server answer 451 (try again later) for `address` until [`accept`](Self::accept).
    pub fn refuse_temporarily(&self, address: &str) {
        std::fs::write(
            self.folder.join("refuse-temporarily"),
            format!("{address}\n"),
        )
        .expect("the refusal list");
    }

    /// Makes the server answer 550 (no such mailbox) for `address`.
    pub fn refuse_permanently(&self, address: &str) {
        std::fs::write(
            self.folder.join("refuse-permanently"),
            format!("{address}\n"),
        )
        .expect("the refusal list");
    }

    /// Takes every address off the refusal lists.
    pub fn accept(&self) {
        let _ = std::fs::remove_file(self.folder.join("refuse-temporarily"));
        let _ = std::fs::remove_file(self.folder.join("refuse-permanently"));
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
