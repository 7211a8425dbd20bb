//! Listing organizations page by page: cursor and page mode over 2,500 organizations, rows
//! created while a cursor walk is under way, parameter checking, and the list filters.

mod cursor_walks;
mod filters;
mod pages;
mod parameters;
