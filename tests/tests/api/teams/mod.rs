//! Teams: made and changed, their members and who may manage them, what leaving the
//! organization does to them, and their behaviour under concurrent requests and limits.

mod deletion;
mod leaving;
mod lifecycle;
mod listing;
mod members;
mod races;
mod requests;
