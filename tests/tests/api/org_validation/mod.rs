//! Organization field rules: each invalid value is a 422 naming the field and a code, and
//! nothing is written. Uniqueness of names and references is a 409.

mod bodies;
mod custom_data;
mod members;
mod names;
mod nulls;
mod profile_fields;
mod uniqueness;
