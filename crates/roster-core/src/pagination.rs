//! Pages of a list: continue after a cursor (keyset: the millionth row costs what the first
//! does), or go to a page number. Cursors are opaque to clients: base64url of a small JSON
//! value that each list defines.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::CoreError;

/// Which page of a list to read.
#[derive(Debug, Clone)]
pub enum Page<C> {
    /// Rows after `after` (from the start without it), `limit` of them.
    Cursor {
        after: Option<C>,
        limit: i64,
        include_total: bool,
    },
    /// Page number `page` (from 1) of `per_page` rows.
    Number { page: i64, per_page: i64 },
}

impl<C> Page<C> {
    /// The decoded cursor, in cursor mode.
    pub fn cursor(&self) -> Option<&C> {
        match self {
            Page::Cursor { after, .. } => after.as_ref(),
            Page::Number { .. } => None,
        }
    }

    /// Rows per page, in either mode.
    pub fn size(&self) -> i64 {
        match self {
            Page::Cursor { limit, .. } => *limit,
            Page::Number { per_page, .. } => *per_page,
        }
    }

    /// Whether the total is wanted: always in page mode, on request in cursor mode.
    pub fn wants_total(&self) -> bool {
        matches!(
            self,
            Page::Number { .. }
                | Page::Cursor {
                    include_total: true,
                    ..
                }
        )
    }

    /// The rows to skip and to fetch: one more than a page, which tells whether more follow.
    pub fn window(&self) -> (i64, i64) {
        match self {
            Page::Cursor { limit, .. } => (0, limit + 1),
            Page::Number { page, per_page } => ((page - 1) * per_page, per_page + 1),
        }
    }
}

/// Rows of one page (up to one more than the page size: see [`Page::window`]) and, when asked
/// for, how many rows match in all.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub rows: Vec<T>,
    pub total: Option<i64>,
}

impl<T> Listed<T> {
    /// The same page with each row turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listed<U> {
        Listed {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
        }
    }
}

pub fn encode_cursor<C: Serialize>(cursor: &C) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

/// A cursor this list issued; anything else is a 400.
pub fn decode_cursor<C: DeserializeOwned>(raw: &str) -> Result<C, CoreError> {
    URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| CoreError::BadRequest("after is not a cursor this endpoint issued".into()))
}
