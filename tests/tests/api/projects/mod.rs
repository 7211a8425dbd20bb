//! Projects: their own life, who reaches them at which level, the questions about access, the
//! grants that give teams access, how they stay inside their organization, and concurrent
//! writers.

mod access;
mod answers;
mod create;
mod grants;
mod isolation;
mod list;
mod races;
mod roles_and_keys;
mod setup;
mod update;
