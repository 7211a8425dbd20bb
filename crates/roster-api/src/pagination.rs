//! The list envelope every list endpoint answers with, in cursor or page mode.

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse};
use roster_core::pagination::{decode_cursor, encode_cursor, Listed, Page};
use roster_core::Operation;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;
use crate::extract::{from_query_text, Call};

/// `{"data": [...], "meta": {...}, "links": {...}}` (documented per list with [`list_schema!`]).
#[derive(Debug, Serialize)]
pub struct ListEnvelope<T> {
    pub data: Vec<T>,
    pub meta: ListMeta,
    pub links: ListLinks,
}

/// Where this page stands in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListMeta {
    /// More rows follow this page.
    pub has_more: bool,
    /// Pass as `after` to get the next page (cursor mode).
    pub next_cursor: Option<String>,
    /// All matching rows: always in page mode, with `include_total=true` in cursor mode.
    #[schema(example = 1234)]
    pub total: Option<i64>,
}

/// Links to this page and its neighbours, with the request's other parameters kept.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ListLinks {
    /// This page.
    #[serde(rename = "self")]
    pub self_: String,
    /// The next page, when there is one.
    pub next: Option<String>,
    /// The previous page (page mode).
    pub prev: Option<String>,
    /// The first page.
    pub first: Option<String>,
    /// The last page (page mode).
    pub last: Option<String>,
}

/// Pagination parameters shared by every list endpoint.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Cursor mode: rows per page (1..1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "from_query_text")]
    pub limit: Option<i64>,
    /// Cursor mode: the `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Page mode: the page number (1..100000).
    #[param(minimum = 1, maximum = 100000)]
    #[serde(default, deserialize_with = "from_query_text")]
    pub page: Option<i64>,
    /// Page mode: rows per page (1..1000, default 10).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "from_query_text")]
    pub per_page: Option<i64>,
    /// Cursor mode: also count all matching rows.
    #[serde(default, deserialize_with = "from_query_text")]
    pub include_total: Option<bool>,
}

impl PageParams {
    /// Checks ranges and decodes the cursor (an opaque value the list issued).
    pub fn parse<C: DeserializeOwned>(&self) -> Result<Page<C>, ApiError> {
        let page_mode = self.page.is_some() || self.per_page.is_some();
        if page_mode && (self.after.is_some() || self.limit.is_some()) {
            return Err(ApiError::BadRequest(
                "use either cursor pagination (limit, after) or page pagination (page, per_page)"
                    .into(),
            ));
        }
        if page_mode {
            let page = in_range(self.page.unwrap_or(1), 1, 100_000, "page")?;
            let per_page = in_range(self.per_page.unwrap_or(10), 1, 1000, "per_page")?;
            return Ok(Page::Number { page, per_page });
        }
        let limit = in_range(self.limit.unwrap_or(100), 1, 1000, "limit")?;
        let after = self.after.as_deref().map(decode_cursor).transpose()?;
        Ok(Page::Cursor {
            after,
            limit,
            include_total: self.include_total.unwrap_or(false),
        })
    }
}

fn in_range(value: i64, min: i64, max: i64, name: &str) -> Result<i64, ApiError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::BadRequest(format!(
            "{name} must be between {min} and {max}"
        )))
    }
}

/// A concrete list envelope for the document (`data` referring to its item's schema, which a
/// generic envelope would inline): `list_schema!(OrganizationList, Organization, "…")`.
#[macro_export]
macro_rules! list_schema {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(utoipa::ToSchema)]
        #[allow(dead_code)] // documentation only: lists are written as `ListEnvelope<T>`
        pub struct $name {
            /// The rows of this page.
            data: Vec<$item>,
            /// Where this page stands in the list.
            meta: $crate::pagination::ListMeta,
            /// Links to this page and its neighbours.
            links: $crate::pagination::ListLinks,
        }
    };
}

/// What a page's JSON takes besides its rows (links, meta), and about what a row takes.
const ENVELOPE_BYTES: usize = 1024;
const ROW_BYTES: usize = 512;

impl<O: Operation> Call<O> {
    /// Runs a list operation that reads `page` and answers 200 with that page's envelope
    /// (`cursor_of` makes the cursor that continues after a row, `to_json` renders a row).
    pub async fn list<R, T: Serialize, C: Serialize>(
        self,
        req: &HttpRequest,
        page: Page<impl Sized>,
        op: O,
        cursor_of: impl Fn(&R) -> C,
        to_json: impl Fn(R) -> T,
    ) -> Result<HttpResponse, ApiError>
    where
        O: Operation<Output = Listed<R>>,
    {
        let listed = self.execute(op).await?;
        let rows = listed.rows.len();
        let envelope = envelope(req, &page, listed, cursor_of, to_json);
        // Written once into a buffer about the page's size, not grown by doubling.
        let mut body = Vec::with_capacity(ENVELOPE_BYTES + rows * ROW_BYTES);
        serde_json::to_writer(&mut body, &envelope)
            .map_err(|error| ApiError::Internal(format!("rendering a page: {error}")))?;
        Ok(HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(body))
    }
}

/// Builds the envelope of one page. `listed` holds up to one row more than the page, which
/// tells `has_more`; `cursor_of` makes the cursor that continues after a row.
fn envelope<R, T, C: Serialize>(
    req: &HttpRequest,
    page: &Page<impl Sized>,
    listed: Listed<R>,
    cursor_of: impl Fn(&R) -> C,
    to_json: impl Fn(R) -> T,
) -> ListEnvelope<T> {
    let Listed { mut rows, total } = listed;
    let page_size = page.size();
    let has_more = rows.len() as i64 > page_size;
    rows.truncate(page_size as usize);
    let mut links = ListLinks {
        self_: link(req, &[]),
        ..ListLinks::default()
    };
    let mut next_cursor = None;
    match page {
        Page::Cursor { limit, .. } => {
            if has_more {
                let cursor = rows.last().map(|row| encode_cursor(&cursor_of(row)));
                links.next = cursor
                    .as_ref()
                    .map(|c| link(req, &[("after", c.clone()), ("limit", limit.to_string())]));
                next_cursor = cursor;
            }
            links.first = Some(link(req, &[("limit", limit.to_string())]));
        }
        Page::Number { page, per_page } => {
            let total = total.unwrap_or_default();
            let last_page = ((total + per_page - 1) / per_page).max(1);
            let at = |p: i64| {
                link(
                    req,
                    &[("page", p.to_string()), ("per_page", per_page.to_string())],
                )
            };
            links.first = Some(at(1));
            links.last = Some(at(last_page));
            links.prev = (*page > 1).then(|| at((*page - 1).min(last_page)));
            links.next = has_more.then(|| at(page + 1));
        }
    }
    ListEnvelope {
        data: rows.into_iter().map(to_json).collect(),
        meta: ListMeta {
            has_more,
            next_cursor,
            total,
        },
        links,
    }
}

/// The request's own path and query, with pagination parameters replaced by `set`.
fn link(req: &HttpRequest, set: &[(&str, String)]) -> String {
    const PAGING: &[&str] = &["after", "limit", "page", "per_page"];
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
            .unwrap_or_default()
            .into_iter()
            .filter(|(key, _)| set.is_empty() || !PAGING.contains(&key.as_str()))
            .collect();
    pairs.extend(set.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if query.is_empty() {
        req.path().to_owned()
    } else {
        format!("{}?{query}", req.path())
    }
}
