//! The audit log: what each change records, reading it back (filters, pages, who may), the
//! gapless numbering under concurrent writers, and that no secret ever lands in it.

mod numbering;
mod reading;
mod recorded;
mod secrets;
