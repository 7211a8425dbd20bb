//! Transactions the database aborts to break a deadlock are run again, not answered as errors.

use std::sync::Barrier;

use roster_store::diesel::{sql_query, RunQueryDsl};
use roster_store::StoreError;
use roster_tests::{Backend, TestApp};

use crate::support::stored::db;

/// Two transactions lock two users in opposite orders, in step, so that Postgres must abort
/// one of them. `Db::write` runs the aborted one again: both commit, with three runs or more.
/// (Postgres only: SQLite's writers never overlap, so they cannot deadlock.)
#[test]
fn a_deadlocked_transaction_is_retried_until_it_succeeds() {
    let Some(app) = TestApp::spawn(Backend::Postgres) else {
        return;
    };
    let app = &app;
    let first = app.sign_up("first");
    let second = app.sign_up("second");
    let db = db(app);
    let meet = Barrier::new(2);
    let lock = |id: &str| format!("UPDATE users SET name = name WHERE id = '{id}'");
    let outcomes: Vec<Result<u32, StoreError>> = std::thread::scope(|scope| {
        let runs: Vec<_> = [(&first.id, &second.id), (&second.id, &first.id)]
            .into_iter()
            .map(|(a, b)| {
                let (db, meet, lock) = (&db, &meet, &lock);
                scope.spawn(move || {
                    let mut attempts = 0;
                    db.write(|conn| {
                        attempts += 1;
                        sql_query(lock(a)).execute(conn)?;
                        if attempts == 1 {
                            // Both hold their first lock before either asks for its second.
                            meet.wait();
                        }
                        sql_query(lock(b)).execute(conn)?;
                        Ok::<_, StoreError>(())
                    })
                    .map(|()| attempts)
                })
            })
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    let attempts: Vec<u32> = outcomes
        .into_iter()
        .map(|outcome| outcome.expect("both transactions commit"))
        .collect();
    // At least one was aborted by the deadlock and ran again. It can take more than one retry:
    // when the aborted one restarts before the survivor (woken, not yet scheduled on a busy
    // machine) has taken the row it waited for, they deadlock again, and again one retries.
    assert!(
        attempts.iter().sum::<u32>() >= 3,
        "one transaction was aborted by the deadlock and ran again: {attempts:?}"
    );
}
