//! A throwaway PostgreSQL server for one test: its own data directory, port and socket, so a
//! test may stop and restart it (outages) without touching the shared server on 5432.
//!
//! Uses `initdb` and `pg_ctl` from the newest `/usr/lib/postgresql/<version>/bin` (or `PATH`).
//! `initdb` refuses to run as root, so when the tests run as root (CI does) every PostgreSQL
//! program runs as the `postgres` user through `runuser`, in a temporary directory it owns.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use roster_store::diesel::{Connection, PgConnection, RunQueryDsl};

/// One private PostgreSQL server. Dropping it stops the server and removes its files.
pub struct ThrowawayPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres_user: bool,
    running: bool,
}

/// Whether a missing throwaway server must fail the test rather than skip it.
pub fn throwaway_postgres_required() -> bool {
    std::env::var_os("CI").is_some()
        || std::env::var("ROSTER_TEST_POSTGRES").is_ok_and(|v| v == "require")
}

impl ThrowawayPostgres {
    /// Why a throwaway server cannot be started here, or `None` when it can.
    pub fn unavailable_reason() -> Option<String> {
        let Some(bin) = find_bin_dir() else {
            return Some(
                "no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or PATH"
                    .into(),
            );
        };
        if is_root() {
            if !command_exists("runuser") {
                return Some("running as root, but `runuser` is missing".into());
            }
            let has_user = Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .is_ok_and(|out| out.status.success());
            if !has_user {
                return Some(format!(
                    "running as root, but there is no `postgres` user to run {} as",
                    bin.join("initdb").display()
                ));
            }
        }
        None
    }

    /// `Some(server)` when one can be started here; `None` (after a loud message) when it
    /// cannot and the test may be skipped; panics when it cannot but is required (CI).
    pub fn try_start() -> Option<ThrowawayPostgres> {
        match ThrowawayPostgres::unavailable_reason() {
            None => Some(ThrowawayPostgres::start()),
            Some(reason) if throwaway_postgres_required() => panic!(
                "a throwaway PostgreSQL server is required (CI or ROSTER_TEST_POSTGRES=require) but cannot be started: {reason}"
            ),
            Some(reason) => {
                eprintln!("\n!!! SKIPPING this test: it needs a throwaway PostgreSQL server, but {reason}.\n!!! Set ROSTER_TEST_POSTGRES=require to make this a failure.\n");
                None
            }
        }
    }

    /// Initializes and starts a new server on a free port and creates the database `roster`.
    /// Panics on any failure, with PostgreSQL's own output.
    pub fn start() -> ThrowawayPostgres {
        let bin = find_bin_dir().unwrap_or_else(|| {
            panic!("no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or PATH")
        });
        let as_postgres_user = is_root();
        let dir = std::env::temp_dir().join(format!(
            "roster-throwaway-pg-{}",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let mut server = ThrowawayPostgres {
            bin,
            dir,
            port: free_port(),
            as_postgres_user,
            running: false,
        };
        if as_postgres_user {
            let out = Command::new("chown")
                .args(["postgres:", &server.dir.display().to_string()])
                .output()
                .unwrap_or_else(|e| panic!("run chown: {e}"));
            check(&out, "chown the throwaway PostgreSQL directory to postgres");
        }
        let data = server.data_dir().display().to_string();
        let out = server.run_pg(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        check(&out, "initdb");
        server.start_again();
        let mut admin = PgConnection::establish(&server.url_for("postgres"))
            .unwrap_or_else(|e| panic!("connect to the throwaway PostgreSQL server: {e}"));
        roster_store::diesel::sql_query("CREATE DATABASE roster")
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("create database roster: {e}"));
        server
    }

    /// The URL of the `roster` database.
    pub fn url(&self) -> String {
        self.url_for("roster")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn url_for(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server (`pg_ctl stop -m fast`: open connections are terminated).
    pub fn stop(&mut self) {
        let data = self.data_dir().display().to_string();
        let out = self.run_pg("pg_ctl", &["stop", "-D", &data, "-m", "fast", "-w"]);
        check(&out, "pg_ctl stop");
        self.running = false;
    }

    /// Starts the (stopped) server again on the same port with the same data.
    pub fn start_again(&mut self) {
        let data = self.data_dir().display().to_string();
        let log = self.dir.join("postgres.log").display().to_string();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.dir.display()
        );
        let out = self.run_pg(
            "pg_ctl",
            &[
                "start", "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options,
            ],
        );
        if !out.status.success() {
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "pg_ctl start failed ({}):\n{}{}\n--- postgres.log ---\n{log_text}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        self.running = true;
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Runs one of PostgreSQL's programs, as `postgres` when we are root.
    fn run_pg(&self, program: &str, args: &[&str]) -> Output {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        command
            .args(args)
            // Somewhere `postgres` may read: the inherited one may be root's.
            .current_dir(&self.dir)
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST");
        command
            .output()
            .unwrap_or_else(|e| panic!("run {}: {e}", path.display()))
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        if self.running {
            let data = self.data_dir().display().to_string();
            let _ = self.run_pg("pg_ctl", &["stop", "-D", &data, "-m", "immediate", "-w"]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb` and `pg_ctl`, else the
/// directory of `initdb` on `PATH`.
fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name
                .split('.')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|dir| has_tools(dir)))
}

/// Whether this process runs with effective uid 0 (read from /proc; `unsafe` is forbidden).
fn is_root() -> bool {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("Uid:")) {
            // Uid: real effective saved filesystem
            return line.split_whitespace().nth(2) == Some("0");
        }
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn command_exists(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

/// A port on 127.0.0.1 that nothing listens on right now (never 5432).
fn free_port() -> u16 {
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        if port != 5432 {
            return port;
        }
    }
}
