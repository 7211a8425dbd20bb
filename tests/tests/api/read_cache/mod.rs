//! The read cache: every revocation holds at once on the instance that made it, with the cache
//! warm (each case is read from the cache before it is revoked, which the metrics confirm), and
//! within 100 ms on another instance on the same PostgreSQL database; an instance that loses its
//! change listener stops trusting its cache; a change made outside Roster is heard too.

mod cases;
mod feed;
mod instances;
mod listener;
mod revocations;
