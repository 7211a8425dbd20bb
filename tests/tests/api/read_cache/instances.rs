//! Two instances on one PostgreSQL database: a credential or membership that instance B has
//! just served from its cache, revoked through instance A, is refused by B within 100 ms, in
//! every trial of every kind of revocation. The delays are printed (`--no-capture`).

use std::time::{Duration, Instant};

use roster_tests::{spawn_listeners, Backend, Client, TestApp};

use super::cases::{warm, CASES};

/// Trials of each kind of revocation.
const TRIALS: usize = 4;
/// The guarantee.
const WITHIN: Duration = Duration::from_millis(100);

#[test]
fn a_revocation_through_one_instance_reaches_another_within_100_ms() {
    let Some((a, admin)) =
        TestApp::spawn_with_admin(Backend::Postgres, &["--management-listen", "127.0.0.1:0"])
    else {
        return;
    };
    let (b, b_management) = spawn_listeners(&a.db.url, &["--management-listen", "127.0.0.1:0"]);
    let b = Client::new(&b);
    let b_management = Client::new(&b_management.expect("a management listener"));
    let mut delays = Vec::new();
    for (i, (case, prepare)) in CASES.iter().enumerate() {
        for trial in 0..TRIALS {
            let prepared = prepare(&a, &admin, &format!("shared-{i}-{trial}"));
            warm(&b, &b_management, &prepared.probe, case);
            (prepared.revoke)(&a.client);
            let revoked = Instant::now();
            while prepared.probe.works(&b) {
                assert!(
                    revoked.elapsed() < WITHIN,
                    "{case}, trial {trial}: instance B still served it {:?} after the change",
                    revoked.elapsed()
                );
            }
            delays.push((revoked.elapsed(), *case));
        }
    }
    delays.sort();
    let at = |q: f64| delays[((delays.len() - 1) as f64 * q).round() as usize].0;
    eprintln!(
        "{} revocations seen by the other instance after: min {:?}, median {:?}, p90 {:?}, max {:?} ({})",
        delays.len(),
        at(0.0),
        at(0.5),
        at(0.9),
        at(1.0),
        delays.last().map_or("", |(_, case)| case),
    );
}
