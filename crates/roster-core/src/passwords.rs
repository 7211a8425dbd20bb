//! Password hashing and verification on a small fixed set of threads.
//!
//! argon2 needs 19 MiB of working memory per call. Run on whatever thread is free (the blocking
//! pool has hundreds), each thread's allocator keeps its own 19 MiB after the call, and a login
//! flood leaves the process gigabytes larger. Here as many threads as cores each own one
//! [`PasswordWorker`], whose memory is allocated once and reused: password work costs a fixed
//! ~19 MiB per core however many requests arrive, and bursts queue instead of starving the rest.
//! A thread with no password work for a while gives its memory back until the next job.

use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use roster_auth::PasswordWorker;
use tokio::sync::oneshot;

use crate::CoreError;

/// Requests that may wait for a password thread; past this the server answers 503.
pub const QUEUE: usize = 4096;

enum Work {
    Hash(String),
    /// With no stored hash (unknown user), spend the time of a verification and answer false.
    Verify(String, Option<String>),
}

enum Done {
    Hashed(Result<String, CoreError>),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Done>,
    span: tracing::Span,
}

/// The password threads, shared by every request.
#[derive(Clone)]
pub struct PasswordPool {
    jobs: SyncSender<Job>,
}

impl PasswordPool {
    /// Starts `threads` password threads (at least one), with room for `queue` waiting jobs.
    pub fn start(threads: usize, queue: usize) -> Result<PasswordPool, std::io::Error> {
        let (jobs, queue) = sync_channel::<Job>(queue);
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("roster-password-{index}"))
                .spawn(move || serve(&queue))?;
        }
        Ok(PasswordPool { jobs })
    }

    /// Hashes a new password with argon2id.
    pub async fn hash(&self, password: String) -> Result<String, CoreError> {
        match self.submit(Work::Hash(password)).await? {
            Done::Hashed(result) => result,
            Done::Verified(_) => Err(CoreError::Internal("a hash answered as a check".into())),
        }
    }

    /// Checks a password against a stored hash. With no hash (unknown user) it spends the same
    /// time and answers false, so response times don't reveal which emails have accounts.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, CoreError> {
        match self.submit(Work::Verify(password, stored)).await? {
            Done::Verified(ok) => Ok(ok),
            Done::Hashed(_) => Err(CoreError::Internal("a check answered as a hash".into())),
        }
    }

    async fn submit(&self, work: Work) -> Result<Done, CoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            work,
            reply,
            span: tracing::Span::current(),
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(CoreError::Overloaded),
            Err(TrySendError::Disconnected(_)) => {
                return Err(CoreError::Internal("the password threads are gone".into()))
            }
        }
        answer
            .await
            .map_err(|_| CoreError::Internal("a password thread dropped its job".into()))
    }
}

/// How long a password thread keeps its worker's memory with no work: a sign-in flood reuses
/// it, and a server that mostly answers reads does not hold 19 MiB per core for nothing.
const KEEP_MEMORY_IDLE: Duration = Duration::from_secs(10);

/// One password thread: takes jobs until the pool is dropped.
fn serve(queue: &Mutex<Receiver<Job>>) {
    let mut worker: Option<PasswordWorker> = None;
    loop {
        let job = match queue.lock() {
            Ok(receiver) => receiver.recv_timeout(KEEP_MEMORY_IDLE),
            Err(poisoned) => poisoned.into_inner().recv_timeout(KEEP_MEMORY_IDLE),
        };
        let job = match job {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                // Idle: the buffer goes back to the system (it is one mapping of its own).
                worker = None;
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let hasher = worker.get_or_insert_with(PasswordWorker::new);
        let done = job.span.in_scope(|| match job.work {
            Work::Hash(password) => Done::Hashed(
                hasher
                    .hash(&password)
                    .map_err(|e| CoreError::Internal(e.to_string())),
            ),
            Work::Verify(password, Some(stored)) => {
                Done::Verified(hasher.verify(&password, &stored))
            }
            Work::Verify(password, None) => {
                hasher.verify_dummy(&password);
                Done::Verified(false)
            }
        });
        // The request may have gone away meanwhile; nobody to tell then.
        let _ = job.reply.send(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<T>(work: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(work)
    }

    #[test]
    fn many_jobs_share_few_threads_and_all_finish() {
        let pool = PasswordPool::start(2, QUEUE).unwrap();
        block_on(async {
            let hashes: Vec<_> = (0..12)
                .map(|i| {
                    let pool = pool.clone();
                    tokio::spawn(async move { pool.hash(format!("password number {i}")).await })
                })
                .collect();
            for (i, hash) in hashes.into_iter().enumerate() {
                let hash = hash.await.unwrap().unwrap();
                let right = pool.verify(format!("password number {i}"), Some(hash.clone()));
                let wrong = pool.verify("another one".into(), Some(hash));
                assert!(right.await.unwrap() && !wrong.await.unwrap());
            }
            assert!(!pool.verify("anything".into(), None).await.unwrap());
        });
    }

    #[test]
    fn a_full_queue_answers_overloaded() {
        let pool = PasswordPool::start(1, 1).unwrap();
        let outcomes: Vec<_> = block_on(async {
            let pending: Vec<_> = (0..8)
                .map(|_| {
                    let pool = pool.clone();
                    tokio::spawn(async move { pool.hash("queued up".into()).await })
                })
                .collect();
            let mut outcomes = Vec::new();
            for job in pending {
                outcomes.push(job.await.unwrap());
            }
            outcomes
        });
        assert!(outcomes.iter().any(|o| o.is_ok()));
        assert!(outcomes
            .iter()
            .any(|o| matches!(o, Err(CoreError::Overloaded))));
    }
}
